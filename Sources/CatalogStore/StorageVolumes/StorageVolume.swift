import Foundation

/// A storage volume (StarRocks shared-data): where the segments of the tables bound to it live. Only S3 (and
/// S3-compatible stores) is supported; tables bound to no volume keep their segments in the FE's local directory.
public struct StorageVolume: Equatable, Sendable {
    public var id: Int64
    public var name: String
    /// `S3`.
    public var type: String
    public var locations: [String]
    /// `aws.s3.*` properties as stored (defaults filled in, `enabled` taken out). Secrets included: show them only
    /// through `displayParams`.
    public var params: [String: String]
    public var enabled: Bool
    public var comment: String
    public var isDefault: Bool

    public init(id: Int64, name: String, type: String, locations: [String], params: [String: String], enabled: Bool,
                comment: String, isDefault: Bool) {
        self.id = id; self.name = name; self.type = type; self.locations = locations; self.params = params
        self.enabled = enabled; self.comment = comment; self.isDefault = isDefault
    }

    public static let builtinName = "builtin_storage_volume"

    /// Keys whose values are shown as `******` everywhere (SHOW, DESC, errors, logs).
    public static let secretKeys: Set<String> = [
        "aws.s3.access_key", "aws.s3.secret_key", "azure.blob.shared_key", "azure.blob.sas_token",
        "azure.adls2.shared_key", "azure.adls2.sas_token", "azure.adls2.oauth2_client_secret",
        "gcp.gcs.service_account_email", "gcp.gcs.service_account_private_key_id", "gcp.gcs.service_account_private_key",
    ]

    /// The params as DESC shows them: secrets masked, in StarRocks' order (credentials, endpoint, region, modes),
    /// then any other key by name.
    public static func displayJSON(_ params: [String: String]) -> String {
        let first = ["aws.s3.access_key", "aws.s3.secret_key", "aws.s3.endpoint", "aws.s3.region", "aws.s3.use_instance_profile",
                     "aws.s3.use_web_identity_token_file", "aws.s3.use_aws_sdk_default_behavior"]
        let keys = first.filter { params[$0] != nil } + params.keys.filter { !first.contains($0) }.sorted()
        let fields = keys.map { key -> String in
            let value = secretKeys.contains(key) ? "******" : params[key]!
            return "\(jsonString(key)):\(jsonString(value))"
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    public var displayParams: String { Self.displayJSON(params) }

    /// A JSON string literal (Foundation's encoder does the escaping).
    static func jsonString(_ s: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(s)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }
}

/// A refused storage volume statement: StarRocks' code, SQLSTATE and text.
public struct StorageVolumeError: Error, Equatable, Sendable, CustomStringConvertible {
    public var code: Int
    public var sqlState: String
    public var message: String
    public init(_ message: String, code: Int = 1064, sqlState: String = "HY000") {
        self.code = code; self.sqlState = sqlState; self.message = message
    }
    public var description: String { message }
}
