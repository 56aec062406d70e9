import CatalogStore
import Foundation
import MySQLProtocol

/// HTTP basic authentication with the MySQL accounts: the same users, host patterns, passwords and lockout
/// (``LoginThrottle``) as a MySQL login, so the dashboard and /metrics (when it asks for credentials) give a user what
/// their grants allow, and nothing to anyone else.
struct HTTPBasicAuthentication {
    let server: ServerContext

    /// Who the request's `Authorization: Basic` header names, with the account (host pattern) that matched the client;
    /// nil when the header is missing, malformed, or the user, host or password do not match.
    struct Login: Equatable {
        var user: String
        var accountHost: String
        var clientHost: String
    }

    func login(authorization: String?, clientHost: String) -> Login? {
        guard let (user, password) = Self.credentials(authorization), !user.isEmpty else { return nil }
        let now = Date().timeIntervalSince1970
        if server.logins.refusal(user: user, host: clientHost, now: now) != nil { return nil }
        let account = (try? server.catalog.accounts(user: user)).flatMap { MySQLConnection.bestMatch($0, host: clientHost) }
        // As for MySQL logins, checks under way count against the limit; the wait for a turn is short here (this runs on
        // an HTTP handler), and a request that gets none is refused without counting a failure.
        var turn = LoginThrottle.Turn.unguarded
        if account != nil {
            turn = server.logins.beginCheck(user: user, host: clientHost, deadline: now + 0.2)
            guard turn == .go || turn == .unguarded else { return nil }
        }
        let ok: Bool
        if let account {
            if let native = account.nativeHash {
                ok = PasswordHashes(native: native, sha2: account.sha2Hash).verifyCleartext(Array(password.utf8))
            } else {
                ok = password.isEmpty
            }
        } else {
            ok = false
        }
        guard ok, let account else {
            server.logins.failed(user: user, host: clientHost, knownUser: account != nil, heldTurn: turn == .go, now: now)
            return nil
        }
        server.logins.succeeded(user: user, host: clientHost, heldTurn: turn == .go)
        return Login(user: user, accountHost: account.host, clientHost: clientHost)
    }

    /// `Basic base64(user:password)` → (user, password). The user is at most 128 bytes, as in MySQL logins.
    static func credentials(_ header: String?) -> (String, String)? {
        guard let header, header.count < 4096 else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return nil }
        let user = String(text[..<colon]), password = String(text[text.index(after: colon)...])
        guard user.utf8.count <= 128 else { return nil }
        return (user, password)
    }
}
