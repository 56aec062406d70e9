import Foundation

/// What CREATE and ALTER STORAGE VOLUME accept, with StarRocks' texts (pure; reference §1.4–1.7). Whether the
/// resulting S3 settings are usable is checked by the caller (it needs the object-store client).
public enum StorageVolumeRules {
    public static let knownTypes = ["S3", "HDFS", "AZBLOB", "ADLS2", "GS"]

    /// Keys an S3 volume takes.
    public static let s3Keys: Set<String> = [
        "enabled", "aws.s3.region", "aws.s3.endpoint", "aws.s3.use_aws_sdk_default_behavior", "aws.s3.use_instance_profile",
        "aws.s3.use_web_identity_token_file", "aws.s3.access_key", "aws.s3.secret_key", "aws.s3.iam_role_arn",
        "aws.s3.external_id", "aws.s3.enable_path_style_access", "aws.s3.enable_partitioned_prefix", "aws.s3.num_partitioned_prefix",
    ]

    /// Keys that cannot change once the volume exists (the layout of its objects depends on them).
    public static let immutableKeys: Set<String> = ["aws.s3.enable_partitioned_prefix", "aws.s3.num_partitioned_prefix"]

    public static func checkName(_ name: String) throws(StorageVolumeError) {
        if name.isEmpty { throw StorageVolumeError("'storage volume name' can not be null or empty") }
        if name == StorageVolume.builtinName { throw StorageVolumeError("builtin_storage_volume can not be created by SQL") }
        let chars = Array(name)
        let word: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        let ok = (chars[0].isASCII && chars[0].isLetter && chars.count <= 64 && chars.dropFirst().allSatisfy(word))
            || (chars[0] == "_" && chars.count >= 2 && chars.count <= 64 && chars[1].isASCII && (chars[1].isLetter || chars[1].isNumber)
                && chars.dropFirst(2).allSatisfy(word))
        if !ok { throw StorageVolumeError("Incorrect storage volume name '\(name)'", code: 5063, sqlState: "42000") }
    }

    /// The type, upper-cased, if Tributary can use it; StarRocks' text for an unknown one, a plain refusal otherwise.
    public static func checkType(_ type: String) throws(StorageVolumeError) -> String {
        let t = type.uppercased()
        if t.isEmpty { throw StorageVolumeError("'storage volume type' can not be null or empty") }
        guard knownTypes.contains(t) else { throw StorageVolumeError("Unknown storage volume type: \(type)") }
        guard t == "S3" else {
            throw StorageVolumeError("Storage volume type '\(t)' is not supported: Tributary stores data on S3 and S3-compatible object stores (TYPE = S3)")
        }
        return t
    }

    public static func checkLocations(_ locations: [String]) throws(StorageVolumeError) {
        if locations.isEmpty { throw StorageVolumeError("'storage volume locations' can not be empty") }
        for l in locations where l.isEmpty { throw StorageVolumeError("'location in storage volume' can not be empty") }
        for l in locations where !l.lowercased().hasPrefix("s3://") { throw StorageVolumeError("Invalid location \(l)") }
        if locations.count > 1 { throw StorageVolumeError("Invalid location \(locations[1]): a storage volume takes one location") }
    }

    /// Checks keys and values; returns the params to store (defaults filled in, `enabled` taken out) and `enabled`.
    public static func params(_ properties: [(String, String)], location: String) throws(StorageVolumeError) -> (params: [String: String], enabled: Bool?) {
        var params: [String: String] = [:]
        var enabled: Bool?
        for (k, v) in properties {
            let key = k.lowercased()
            guard s3Keys.contains(key) else { throw StorageVolumeError("Invalid properties \(k)") }
            if key == "enabled" { enabled = v.lowercased() == "true"; continue }
            params[key] = v
        }
        if let n = params["aws.s3.num_partitioned_prefix"] {
            guard let value = Int(n) else {
                throw StorageVolumeError("Invalid property value '\(n)' for property 'aws.s3.num_partitioned_prefix', expecting a valid integer string.")
            }
            guard value > 0 else {
                throw StorageVolumeError("Invalid property value '\(n)' for property 'aws.s3.num_partitioned_prefix', expecting a positive integer string.")
            }
            guard (4...1024).contains(value) else {
                throw StorageVolumeError("Invalid property value '\(n)' for property 'aws.s3.num_partitioned_prefix', expecting a value in [4, 1024].")
            }
        }
        if params["aws.s3.enable_partitioned_prefix"]?.lowercased() == "true" {
            let path = location.dropFirst(5).split(separator: "/", omittingEmptySubsequences: true)
            if path.count > 1 {
                throw StorageVolumeError("Invalid location \(location): with aws.s3.enable_partitioned_prefix the location must be a bucket without a path")
            }
        }
        return (withDefaults(params), enabled)
    }

    /// StarRocks shows these even when not given.
    static func withDefaults(_ params: [String: String]) -> [String: String] {
        var p = params
        if (p["aws.s3.region"] ?? "").isEmpty { p["aws.s3.region"] = "us-east-1" }
        for mode in ["aws.s3.use_instance_profile", "aws.s3.use_web_identity_token_file", "aws.s3.use_aws_sdk_default_behavior"] where p[mode] == nil {
            p[mode] = "false"
        }
        return p
    }

    /// ALTER's SET: the stored params with the new ones merged over them (immutable keys refused).
    public static func merged(_ volume: StorageVolume, with properties: [(String, String)]) throws(StorageVolumeError) -> (params: [String: String], enabled: Bool) {
        for (k, v) in properties where immutableKeys.contains(k.lowercased()) && volume.params[k.lowercased()] != v {
            throw StorageVolumeError("Storage volume property '\(k)' is immutable!")
        }
        let (changes, enabled) = try params(properties, location: volume.locations.first ?? "")
        var p = volume.params
        for (k, _) in properties where k.lowercased() != "enabled" { p[k.lowercased()] = changes[k.lowercased()] }
        let nowEnabled = enabled ?? volume.enabled
        if volume.isDefault && !nowEnabled { throw StorageVolumeError("Default volume can not be disabled") }
        return (p, nowEnabled)
    }
}
