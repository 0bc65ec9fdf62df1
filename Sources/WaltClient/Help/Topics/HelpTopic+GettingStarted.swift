extension HelpTopic {
    static let gettingStarted: [HelpTopic] = [
        HelpTopic(name: "help-intro", markdown: """
        # WalT: a testbed for reproducible network experiments

        A WalT server sits on a network of its own (walt-net) with a set of nodes:
        Raspberry Pi boards, PCs, virtual nodes. Nodes boot over the network, from OS
        images that you keep as container images on the server. Because a node keeps
        nothing of its own between boots, an experiment runs the same way tomorrow.

        With the `walt` command you:
        * take nodes and give them back (`walt help show node-ownership`);
        * prepare OS images: clone, modify with a shell or a file copy, build
          (`walt help show image-build`, `walt help show image-cp`);
        * deploy an image to nodes with `walt node boot`, then reach the nodes with
          `walt node shell`, `walt node run`, `walt node cp`, `walt node expose`;
        * collect and query experiment logs (`walt help show logging`);
        * look at the platform's devices and network (`walt device show`, `walt device tree`).

        New here? Read `walt help show tutorial`. All topics: `walt help list`.
        """),
        HelpTopic(name: "tutorial", markdown: """
        # A first session with WalT

        1. See the nodes: `walt node show --all`. Free nodes boot a default image.
        2. Take two nodes: `walt node acquire node1,node2`. Each gets a copy of its
           default image in your own image set (`walt image show`), and reboots on it.
        3. Wait until they are up: `walt node wait node1,node2`.
        4. Work on them: `walt node run node1 uname -a`, `walt node shell node1`.
           Changes made on a node vanish at its next reboot (see `walt help show shells`).
        5. Make a change last: modify the image itself, for example with
           `walt image shell <image>` or `walt image cp ./tool <image>:/usr/local/bin`,
           save it, and the nodes that boot it reboot on the new version.
        6. Follow what happens: `walt log show --realtime` in another terminal.
        7. Give the nodes back: `walt node release node1,node2`.
        """),
        HelpTopic(name: "shell-completion", markdown: """
        # Shell completion for the walt command

        `walt advanced dump-bash-autocomplete` and `walt advanced dump-zsh-autocomplete`
        print completion scripts. They complete categories, commands and options locally,
        and ask the server (through `walt-autocomplete-helper`) for node names, image
        names, checkpoints and the other values only it knows.

        Bash (needs the `bash-completion` package):

            walt advanced dump-bash-autocomplete > ~/.local/share/bash-completion/completions/walt

        Zsh:

            walt advanced dump-zsh-autocomplete > ~/.zfunc/_walt   # with ~/.zfunc in $fpath

        On the WalT server itself, `make install-server` puts both scripts in place
        (`/etc/bash_completion.d/walt` and `/usr/local/share/zsh/site-functions/_walt`).
        """),
        HelpTopic(name: "troubleshooting", markdown: """
        # When something does not work

        * **A node stays "booting"**: `walt log show --platform --history -10m:` shows what
          the server saw of it (DHCP, reboots, bootup). A node whose image has no boot
          files for its model cannot boot it; `walt image show` lists which models each
          image supports.
        * **The client cannot reach the server**: check the `server` line of `~/.walt/config`;
          the server listens on TCP port 12345 (RPC) and 12347 (streams).
        * **A command says the node is not yours**: see `walt help show node-ownership`.
        * **Changes on a node disappeared**: this is by design; see `walt help show shells`.
        """),
    ]
}
