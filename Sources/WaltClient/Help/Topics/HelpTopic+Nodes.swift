extension HelpTopic {
    static let nodes: [HelpTopic] = [
        HelpTopic(name: "node-ownership", markdown: """
        # Who owns a node

        A node belongs to the owner of the image it boots: a node booting one of your
        images (`<you>/<name>`) is yours, a node booting a default image
        (`waltplatform/<model>-default`) is free, anything else belongs to another user.
        There is no reservation table: ownership follows from `walt node boot`.

        * `walt node acquire <nodes>` makes free nodes yours (they get a copy of their
          default image in your image set) and reboots them.
        * `walt node release <nodes>` gives them back: they boot their default image again.
        * `walt node show` lists your nodes; `--all` adds free nodes and other users' nodes.

        Commands that change a node (boot, reboot, config, rename, remove) work on your
        nodes and free nodes; on another user's node they ask for a confirmation first.

        Node sets: `my-nodes`, `free-nodes`, `all-nodes`, or a comma-separated list of
        names (`node1,node2`).
        """),
        HelpTopic(name: "node-bootup", markdown: """
        # How a node boots

        1. DHCP: the node announces its model (vendor class `walt.node.<model>`); the
           server registers it and gives it a fixed address.
        2. Boot files over TFTP, from the `boot/<model>/` directory of the node's image.
        3. The root file system: the image, exported read-only over NFS, with a
           copy-on-write layer in the node's RAM.
        4. The node tells the server it is up; `walt node show` then says `yes` under
           "booted", and `walt node wait` returns.

        A node that loses its server reboots. `boot.timeout` and `boot.retries` (see
        `walt help show node-config`) bound how long the server waits for a boot.
        """),
        HelpTopic(name: "node-config", markdown: """
        # Node settings

        `walt node config <nodes>` prints the settings of the nodes;
        `walt node config <nodes> name=value ...` changes them.

        * `netsetup=LAN|NAT`: with NAT, the node gets a default route through the server
          and may reach other networks (see `walt help show node-netsetup`).
        * `mount.persist=true|false`: whether `/persist` is mounted on the node.
        * `boot.timeout=<seconds>|none` (at least 60) and `boot.retries=<count>`: the boot
          watchdog.
        * `kexec.allow=true|false`: whether the node may reboot with kexec.
        * virtual nodes only: `ram=512M`, `cpu.cores=4`, `disks=...`, `networks=...`,
          `boot.delay=random|<seconds>`.

        Most settings take effect at the next reboot. The same settings exist for other
        devices through `walt device config` (see `walt help show device-config`).
        """),
        HelpTopic(name: "node-netsetup", markdown: """
        # LAN or NAT for a node

        By default (`netsetup=LAN`) a node only reaches walt-net: the server and the other
        nodes. `walt node config <node> netsetup=NAT` gives it a default route through the
        server, which masquerades its traffic; reboot the node to apply it.
        """),
        HelpTopic(name: "node-cp", markdown: """
        # Copying files to and from nodes

            walt node cp <local-path> <node>:<path>
            walt node cp <node>:<path> <local-path>
            walt node cp <node>:<path> booted-image

        Files and directories travel as a tar stream through the server. The last form
        copies from the node into the image it booted, so the change survives reboots
        (the nodes using that image reboot).
        """),
        HelpTopic(name: "node-expose", markdown: """
        # Reaching a port of a node from your machine

        `walt node expose <node> <node-port> <local-port>` listens on `<local-port>` of
        your machine and relays each connection to `<node-port>` of the node, through the
        server. Stop it with Ctrl-C.
        """),
        HelpTopic(name: "node-reboot", markdown: """
        # Rebooting nodes

        `walt node reboot <nodes>` first asks each node to reboot itself (TCP port 12346
        on the node); if that fails, it power-cycles the node through PoE when the node's
        switch port is known and `poe.reboots=true` is set on the switch. `--hard` goes
        straight to the power cycle. Virtual nodes are restarted by the server.
        """),
        HelpTopic(name: "node-save", markdown: """
        # Saving a node's changes as an image

        `walt node save <node> <image>` turns what changed on the node since it booted
        into a new image (or overwrites `<image>` after a confirmation). Changes are
        in the node's RAM until then, and a reboot loses them.
        """),
        HelpTopic(name: "node-console", markdown: """
        # The console of a virtual node

        `walt node console <node>` attaches to the serial console of a virtual node
        (created with `walt node create`). Keys go to the node; the console shows what
        the node prints, also during its boot.
        """),
        HelpTopic(name: "shells", markdown: """
        # Shells and where changes go

        * `walt node shell <node>`: a shell on a running node. The node's root is the image
          plus a layer in its RAM: what you change is lost at the next reboot, except in
          `/persist`.
        * `walt image shell <image>`: a shell in a container of the image. On exit you may
          save the result under a new name or over the image; nodes booting it reboot.
        * `walt device shell <device>`: an SSH session to another device of walt-net.
        """),
    ]
}
