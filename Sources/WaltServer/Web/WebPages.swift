/// The two HTML pages of the service, upstream's `WELCOME_PAGE` and `API_PAGE` (WalT's
/// test #16 looks for the welcome page's `<h2>`).
enum WebPages {
    static let welcome = """

        <html>
        <h2>WalT server HTTP service</h2>

        Available sub-directories:
        <ul>
          <li> <b><a href="/doc">/doc</a></b> -- WalT documentation </li>
          <li> <b><a href="/api">/api</a></b> -- WalT web API</li>
          <li> <b>/boot</b> -- boot files to be retrieved by HTTP-capable node bootloaders </li>
        </ul>
        </html>

        """

    static let api = """

        <html>
        <h2>WalT web API</h2>

        WalT provides the following web API entrypoints:
        <ul>
          <li> <b><a href="/api/v1/nodes">/api/v1/nodes</a></b> </li>
          <li> <b><a href="/api/v1/images">/api/v1/images</a></b> </li>
          <li> <b>/api/v1/logs</b> (no web-link here, because some query parameters are mandatory!) </li>
        </ul>

        Checkout <a href="/doc/web-api.html">the web API documentation</a> for more info.
        </html>

        """
}
