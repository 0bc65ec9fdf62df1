import WaltCommon

/// CSAPI calls that need a registry (docker hub or another): this server reaches none, so
/// each says so on the client's stderr and fails the way upstream fails (`publish_image`
/// answers `(False,)`, `registry_login` False, `update_hub_metadata` None), instead of an
/// unknown-method exception.
extension ClientAPI {
    static let registryMethods: [String: APIMethod] = [
        "publish_image": APIMethod(["registry_label", "image_name"]) { context, args in
            try await refuse(context, "publish images to registry '\(try args.string("registry_label"))'")
            return .tuple([false])
        },
        "registry_login": APIMethod(["reg_name"]) { context, args in
            try await refuse(context, "log in to registry '\(try args.string("reg_name"))'")
            return false
        },
        "update_hub_metadata": APIMethod(["waltplatform_user"]) { context, _ in
            try await refuse(context, "update the docker hub metadata")
            return .none
        },
    ]

    private static func refuse(_ context: APIContext, _ what: String) async throws {
        try await context.requester.stderr(
            "Failed: this WalT server reaches no image registry, so it cannot \(what). "
                + "Images move between WalT servers with 'walt image clone' of an archive (docker-archive:/path).\n")
    }
}
