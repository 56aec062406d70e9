import ComputeNode
import Foundation

/// The cluster token the FE signs node requests with (``NodeRequestSigner``): fe.conf's `cluster_token`, or else a
/// random one kept in `<meta_dir>/cluster_token` (mode 0600), made at first start. Operators copy it into each
/// `tributary-cn`'s cn.conf.
enum ClusterToken {
    static let fileName = "cluster_token"

    static func resolve(configured: String, metaDir: String) throws -> String {
        if !configured.isEmpty {
            guard configured.utf8.count >= NodeRequestSigner.minimumTokenLength else {
                throw ServerError.config("cluster_token must be at least \(NodeRequestSigner.minimumTokenLength) characters long")
            }
            return configured
        }
        let path = (metaDir as NSString).appendingPathComponent(fileName)
        if FileManager.default.fileExists(atPath: path) {
            // A token the nodes already hold is never replaced behind the operator's back.
            guard let stored = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ServerError.config("cannot read the cluster token \(path); fix its permissions (or delete it to make a new one)")
            }
            let token = stored.trimmingCharacters(in: .whitespacesAndNewlines)
            guard token.utf8.count >= NodeRequestSigner.minimumTokenLength else {
                throw ServerError.config("the cluster token in \(path) is shorter than \(NodeRequestSigner.minimumTokenLength) characters")
            }
            return token
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = rng.next() }
        let token = bytes.map { String(format: "%02x", $0) }.joined()
        try PrivateFiles.write(Data((token + "\n").utf8), to: path)
        return token
    }
}
