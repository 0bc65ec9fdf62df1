import WaltCommon

/// What x86 PCs booting from their network card's PXE or iPXE ROM get first: dhcpd names
/// `pxe/walt-x86-undionly.kpxe` (upstream ships an iPXE build with an embedded script
/// there). Ours is that script itself, which any iPXE ROM runs (QEMU's e1000 ROM for the
/// virtual nodes): DHCP again with the WalT user class of the pc-x86-64 model (the
/// dhcpd branch of walt nodes, and the model for the registration of a new PC), then
/// `start.ipxe` from the server, which the TFTP map sends to the node's image. The map
/// leaves `undionly` paths alone, so the file lives at the root of the TFTP tree.
enum PXEChainScript {
    static let path = "pxe/walt-x86-undionly.kpxe"

    static let text = """
        #!ipxe
        echo WalT: network boot of a pc-x86-64 node
        set user-class walt.node.pc-x86-64
        :retry
        dhcp || goto retry
        chain tftp://${next-server}/start.ipxe || goto failed
        :failed
        echo WalT: no boot file for this node; booting again in 10 seconds.
        sleep 10
        reboot

        """

    /// Writes it under the TFTP root (the state directory), readable by tftpd's user.
    static func install(stateDirectory: String) throws(FileTree.Failure) {
        try FileTree.createDirectories(stateDirectory + "/pxe")
        try FileTree.ensureContent(stateDirectory + "/" + path, text)
    }
}
