/// WalT's database schema, as migrations.
///
/// Migration 1 is WalT 10.0's final schema (`walt/server/processes/db/db.py`, after all of
/// upstream's in-code migrations) with the same table, column, type and index names, so
/// `walt advanced sql` users and tools that query `devices` or `logstreams` see what they
/// know. Every statement is `IF NOT EXISTS`, so a database created by upstream 10.0 is
/// adopted as it is. Later changes go in new migrations, never by editing this one.
public enum WaltSchema {
    public static let migrations: [Migration] = [version1]

    static let version1 = Migration(version: 1, name: "WalT 10.0 schema", statements: [
        // CREATE TYPE has no IF NOT EXISTS.
        """
        DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'logmode') THEN
                CREATE TYPE logmode AS ENUM ('line', 'chunk');
            END IF;
        END $$
        """,
        """
        CREATE TABLE IF NOT EXISTS devices (
            mac TEXT PRIMARY KEY,
            ip TEXT,
            name TEXT,
            type TEXT,
            virtual BOOLEAN DEFAULT FALSE,
            conf JSONB DEFAULT '{}')
        """,
        """
        CREATE TABLE IF NOT EXISTS topology (
            mac1 TEXT REFERENCES devices(mac),
            port1 INTEGER,
            mac2 TEXT REFERENCES devices(mac),
            port2 INTEGER,
            confirmed BOOLEAN,
            last_seen TIMESTAMP WITH TIME ZONE)
        """,
        "CREATE TABLE IF NOT EXISTS images (fullname TEXT PRIMARY KEY)",
        """
        CREATE TABLE IF NOT EXISTS nodes (
            mac TEXT REFERENCES devices(mac),
            image TEXT REFERENCES images(fullname),
            model TEXT)
        """,
        """
        CREATE TABLE IF NOT EXISTS switches (
            mac TEXT REFERENCES devices(mac),
            model TEXT)
        """,
        """
        CREATE TABLE IF NOT EXISTS switchports (
            mac TEXT REFERENCES devices(mac),
            port INTEGER,
            name TEXT,
            PRIMARY KEY (mac, port))
        """,
        """
        CREATE TABLE IF NOT EXISTS logstreams (
            id SERIAL PRIMARY KEY,
            issuer_mac TEXT REFERENCES devices(mac),
            name TEXT,
            mode logmode DEFAULT 'line')
        """,
        """
        CREATE TABLE IF NOT EXISTS logs (
            stream_id INTEGER REFERENCES logstreams(id),
            timestamp TIMESTAMP WITH TIME ZONE,
            line TEXT)
        """,
        """
        CREATE TABLE IF NOT EXISTS checkpoints (
            username TEXT,
            timestamp TIMESTAMP,
            name TEXT)
        """,
        """
        CREATE TABLE IF NOT EXISTS poeoff (
            mac TEXT REFERENCES devices(mac),
            port INTEGER,
            reason TEXT)
        """,
        """
        CREATE TABLE IF NOT EXISTS vpnauth (
            vpnmac TEXT PRIMARY KEY,
            pubkeycert TEXT,
            certid TEXT,
            device_label TEXT,
            revoked BOOLEAN DEFAULT FALSE)
        """,
        """
        CREATE TABLE IF NOT EXISTS vpnnodes (
            mac TEXT REFERENCES devices(mac),
            vpnmac TEXT REFERENCES vpnauth(vpnmac))
        """,
        "CREATE INDEX IF NOT EXISTS devices_ip_idx ON devices (ip)",
        "CREATE INDEX IF NOT EXISTS logstreams_issuer_mac_name_idx ON logstreams (issuer_mac, name)",
        "CREATE INDEX IF NOT EXISTS logs_timestamp_idx ON logs (timestamp)",
        "CREATE INDEX IF NOT EXISTS logs_stream_id_idx ON logs (stream_id)",
        "CREATE INDEX IF NOT EXISTS checkpoints_username_idx ON checkpoints (username)",
    ])

    /// The tables of migration 1, for tests and for `walt advanced sql` documentation.
    public static let tables = [
        "devices", "topology", "images", "nodes", "switches", "switchports", "logstreams",
        "logs", "checkpoints", "poeoff", "vpnauth", "vpnnodes",
    ]
}
