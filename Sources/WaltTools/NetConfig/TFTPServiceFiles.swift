import WaltCommon

/// What tftpd-hpa needs to serve walt-net, written when walt-net comes up (the TFTP unit
/// starts after walt-server-netconfig): its remap file (services.md §6), which sends every
/// request to the asking node's own `nodes/<ip>/tftp/` directory, and its listen address.
enum TFTPServiceFiles {
    static let map = """
        # files used for standard PXE booting are not redirected: the images of new
        # nodes are not mounted yet
        e .*undionly.*
        # legacy bootloader configurations
        r boot/rpi-.*\\.uboot start.uboot
        r boot/pc-x86-64.ipxe start.ipxe
        # everything else: the node's own boot directory (\\i is the client's address)
        r .* nodes/\\i/tftp/\\0

        """

    static func write(stateDirectory: String, serverIP: String) throws(FileTree.Failure) {
        let directory = stateDirectory + "/services/tftpd"
        try FileTree.ensureContent(directory + "/map", map)
        try FileTree.ensureContent(directory + "/tftpd.env", "TFTPD_ADDRESS=\(serverIP)\n")
    }
}
