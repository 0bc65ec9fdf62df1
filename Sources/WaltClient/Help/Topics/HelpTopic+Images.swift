extension HelpTopic {
    static let images: [HelpTopic] = [
        HelpTopic(name: "image-build", markdown: """
        # Building an image from a Dockerfile

            walt image build --from-dir <directory> <image>
            walt image build --from-url <git-url> [--sub-dir <path>] <image>

        The directory (or the git repository, or its sub-directory) must hold a
        `Dockerfile` whose `FROM` is an image WalT nodes can boot, usually one of your
        images or a default image. The result carries the label `walt.node.models` of its
        parent, which tells which node models can boot it.
        """),
        HelpTopic(name: "image-cp", markdown: """
        # Copying files to and from images

            walt image cp <local-path> <image>:<path>
            walt image cp <image>:<path> <local-path>

        A copy into an image changes the image itself: the nodes that boot it reboot on
        the new version.
        """),
        HelpTopic(name: "image-from-scratch", markdown: """
        # Images for WalT nodes

        A WalT image is a container image with what a node needs to boot: a `boot/<model>/`
        directory per supported model (boot script, kernel, initrd), an init, an SSH
        server, and the label `walt.node.models` listing the models. Images are named
        `<user>/<name>:<tag>`; you see yours as `<name>` (or `<name>:<tag>`). Default
        images are `waltplatform/<model>-default`.

        Get images with `walt image clone` (`walt:<user>/<image>` copies another user's
        image of this server; `docker-archive:<file>` and `oci-archive:<file>` import an
        archive on the server), then adapt them with `walt image shell`, `walt image cp`
        or `walt image build`.
        """),
    ]
}
