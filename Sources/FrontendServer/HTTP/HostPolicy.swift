/// Which Host headers and client addresses the authenticated HTTP routes accept (see ``FrontendHTTP/authenticate(_:_:)``).
/// Pure.
enum HostPolicy {
    /// A Host header naming an IP address, `localhost`, or a name in `extra` (fe.conf `http_allowed_hosts`, comma
    /// separated; `*` allows any). A page served from an attacker's domain that rebinds it to the FE's address still
    /// sends the attacker's domain, so it is refused.
    static func allows(host header: String?, extra: [String]) -> Bool {
        guard let header, !header.isEmpty else { return false }
        let name = hostName(header).lowercased()
        if name == "localhost" || isIPv4(name) || name.contains(":") { return true }
        return extra.contains { $0 == "*" || $0.lowercased() == name }
    }

    /// The host of a Host header: without the port, IPv6 without brackets.
    static func hostName(_ header: String) -> String {
        if header.hasPrefix("["), let close = header.firstIndex(of: "]") { return String(header[header.index(after: header.startIndex)..<close]) }
        if let colon = header.lastIndex(of: ":"), header.firstIndex(of: ":") == colon { return String(header[..<colon]) }
        return header
    }

    static func isIPv4(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in !p.isEmpty && p.count <= 3 && p.allSatisfy(\.isASCII) && p.allSatisfy(\.isNumber) && Int(p)! <= 255 }
    }

    /// 127.0.0.0/8 and ::1.
    static func isLoopback(_ address: String) -> Bool { address == "::1" || (isIPv4(address) && address.hasPrefix("127.")) }
}
