import Logging
import ServiceLifecycle
import WaltCommon
import WaltStore

/// The running server: opens the store (the embedded cluster unless a database is
/// configured), applies migrations, then runs its services until SIGTERM or SIGINT.
public enum Daemon {
    public static func run(_ options: DaemonOptions, logger: Logger) async -> Int32 {
        let config: ServerConfig
        let source: ServerConfig.Source
        do {
            (config, source) = try ServerConfig.load(path: options.configPath, required: options.configRequired)
            if source == .builtinDefault {
                logger.warning("no \(options.configPath): using the built-in walt-net \(config.waltNetAddress) (virtual only)")
            }
        } catch {
            logger.critical("\(error.description)")
            return 1
        }
        let cluster: EmbeddedCluster?
        let store: PostgresStore
        do {
            (cluster, store) = try await openStore(config: config, options: options, logger: logger)
            let applied = try await store.migrate()
            if !applied.isEmpty { logger.info("database migrations applied", metadata: ["versions": "\(applied)"]) }
        } catch {
            logger.critical("cannot open the database: \(error)")
            return 1
        }
        var server = ServerIdentity.detect(bindHost: options.bindHost)
        if case .file = source {
            // As upstream's get_server_ip(): the address server.conf gives walt-net.
            server.ip = config.waltNetAddress.host
        }
        do {
            try await DeviceRepository(store: store).fixServerEntry(server)
        } catch {
            logger.critical("cannot record the server's own device: \(error)")
            await store.close()
            try? await cluster?.stop()
            return 1
        }
        // Only a real server (a server.conf) drives dhcpd, named, TFTP and NFS; the built-in
        // default is a development daemon that must not touch /etc/exports.d.
        var bootServices: BootServices?
        var images: ImageStore?
        if case .file = source {
            let imageStore = ImageStore(settings: config.images, stateDirectory: options.stateDirectory,
                                        registries: config.registries, store: store, logger: logger)
            do {
                try await imageStore.prepare()
            } catch {
                // The rest of the platform works without images: say so and go on.
                logger.error("cannot read the podman image store: \(error)")
            }
            images = imageStore
            let mounter = ImageMounter(registry: imageStore.registry, stateDirectory: options.stateDirectory,
                                       grace: options.imageUnmountGrace, logger: logger)
            let services = BootServices(
                paths: .init(stateDirectory: options.stateDirectory, runDirectory: options.runDirectory),
                config: config, store: store, logger: logger, images: mounter)
            do {
                try await services.prepare()
            } catch {
                logger.critical("cannot write the boot services' configuration: \(error)")
                await store.close()
                try? await cluster?.stop()
                return 1
            }
            bootServices = services
        }
        let nodeKeys = NodeKeys(stateDirectory: options.stateDirectory)
        if bootServices != nil {
            // A real server makes its node keys at start, as upstream (images need the host
            // key); a development daemon makes them on first use.
            do {
                try nodeKeys.ensure()
            } catch {
                logger.error("cannot make the node ssh keys: \(error)")
            }
        }
        let state = DaemonState(store: store, logger: logger, server: server, config: config,
                                nodeKeys: nodeKeys, bootServices: bootServices, images: images)
        state.bootWatchdog.attach(state)
        state.virtualNodes.attach(state)
        // Ports whose PoE WalT turned off before it stopped come back on (upstream's
        // restore_poe_on_all_ports); a switch that does not answer only gets a log line.
        Task {
            do { try await PoEControl(daemon: state).restore() } catch { logger.warning("PoE restore: \(error)") }
        }
        if images != nil {
            // Default images of the models already known, imported in the background.
            Task { await state.provideDefaultImagesOfKnownModels() }
        }
        let host = options.bindHost.isEmpty ? "0.0.0.0" : options.bindHost
        let readiness = Readiness(listeners: 2, logger: logger)
        let rpc = TCPListener(name: "rpc", host: host, port: options.rpcPort, logger: logger,
                              onBound: { _ in readiness.listenerBound() }, connectionsOnAcceptLoop: true) { peer in
            try await RPCConnection(peer: peer, daemon: state).run()
        }
        let streams = TCPListener(name: "streams", host: host, port: options.streamPort, logger: logger,
                                  onBound: { _ in readiness.listenerBound() }) { peer in
            try await StreamConnection(peer: peer, daemon: state).run()
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: rpc), .init(service: streams)]
        if options.httpPort != 0 {
            let router = WebRouter(backend: DaemonWebBackend(daemon: state, stateDirectory: options.stateDirectory),
                                   logger: logger, now: { ServerClock.now() })
            services.append(.init(service: HTTPService(host: host, port: options.httpPort, router: router, logger: logger)))
        }
        // Services stop in reverse order: listeners first, then the log hub flushes what
        // they accepted, then the store closes.
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [
                .init(service: StoreService(store: store, cluster: cluster, logger: logger)),
                .init(service: LogHubService(hub: state.logHub, logger: logger)),
            ] + (bootServices.map { [.init(service: $0)] } ?? []) + [
                .init(service: state.bootWatchdog),
                // After the boot services: the VMs stop before images are unmounted.
                .init(service: state.virtualNodes),
            ] + services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        do {
            try await group.run()
            return 0
        } catch {
            logger.critical("daemon stopped on error: \(error)")
            return 1
        }
    }

    /// The configured database, or else the embedded cluster under the state directory.
    private static func openStore(config: ServerConfig, options: DaemonOptions,
                                  logger: Logger) async throws -> (EmbeddedCluster?, PostgresStore) {
        if let dsn = config.databaseDSN {
            let connection = PGConnectionConfig.dsn(dsn)
            logger.info("using the configured PostgreSQL", metadata: ["dsn": "\(connection.redactedDescription)"])
            return (nil, try await PostgresStore.connect(connection, connections: 3))
        }
        let embedded = try EmbeddedCluster(stateDirectory: options.stateDirectory)
        logger.info("starting embedded PostgreSQL", metadata: ["data": "\(embedded.dataDirectory)"])
        try await embedded.start()
        do {
            return (embedded, try await PostgresStore.connect(embedded.connectionConfig, connections: 3))
        } catch {
            try? await embedded.stop()
            throw error
        }
    }
}
