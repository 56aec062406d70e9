import CatalogStore

/// fe.conf's shared-data keys (reference catalog_sql.md §1.9): `run_mode`, `cloud_native_storage_type` and the
/// `aws_s3_*` settings from which the FE creates or updates `builtin_storage_volume` at start.
public struct SharedDataConfig: Equatable, Sendable {
    public var runMode = "shared_nothing"
    public var storageType = "S3"
    public var path = ""
    public var endpoint = ""
    public var region = ""
    public var accessKey = ""
    public var secretKey = ""
    public var useInstanceProfile = false
    public var useAwsSdkDefaultBehavior = false
    public var iamRoleArn = ""
    public var externalID = ""
    /// StarRocks 3.3's default; the builtin volume is made only when `aws_s3_path` is set too.
    public var enableLoadVolumeFromConf = true

    public init() {}

    /// Applies one key; false if the key is not a shared-data key.
    mutating func apply(_ key: String, _ value: String, bad: (String) -> FrontendConfig.Invalid) throws(FrontendConfig.Invalid) -> Bool {
        func flag() throws(FrontendConfig.Invalid) -> Bool {
            switch value.lowercased() {
            case "true": return true
            case "false": return false
            default: throw bad("true or false")
            }
        }
        switch key {
        case "run_mode":
            guard ["shared_nothing", "shared_data"].contains(value.lowercased()) else { throw bad("shared_nothing or shared_data") }
            runMode = value.lowercased()
        case "cloud_native_storage_type":
            guard ["S3", "HDFS", "AZBLOB", "ADLS2"].contains(value.uppercased()) else { throw bad("HDFS S3 AZBLOB or ADLS2") }
            storageType = value.uppercased()
        case "aws_s3_path": path = value
        case "aws_s3_endpoint": endpoint = value
        case "aws_s3_region": region = value
        case "aws_s3_access_key": accessKey = value
        case "aws_s3_secret_key": secretKey = value
        case "aws_s3_use_instance_profile": useInstanceProfile = try flag()
        case "aws_s3_use_aws_sdk_default_behavior": useAwsSdkDefaultBehavior = try flag()
        case "aws_s3_iam_role_arn": iamRoleArn = value
        case "aws_s3_external_id": externalID = value
        case "enable_load_volume_from_conf": enableLoadVolumeFromConf = try flag()
        default: return false
        }
        return true
    }

    /// The builtin volume these settings describe, or nil when fe.conf asks for none. Throws StarRocks' start errors.
    public func builtinVolume() throws(FrontendConfig.Invalid) -> StorageVolume? {
        guard runMode == "shared_data", enableLoadVolumeFromConf, !path.isEmpty else { return nil }
        guard storageType == "S3" else {
            throw FrontendConfig.Invalid(description: "cloud_native_storage_type = \(storageType) is not supported by Tributary: use S3")
        }
        var trimmed = path
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        let bucket = trimmed.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        guard !trimmed.contains("://"), !bucket.contains(":"), !trimmed.hasPrefix("/") else {
            throw FrontendConfig.Invalid(description: "The configuration item \"Config.aws_s3_path = \(path)\" is invalid.")
        }
        guard !region.isEmpty || !endpoint.isEmpty else {
            throw FrontendConfig.Invalid(description: "fe.conf: aws_s3_region or aws_s3_endpoint must be set for the builtin storage volume")
        }
        guard useInstanceProfile || useAwsSdkDefaultBehavior || (!accessKey.isEmpty && !secretKey.isEmpty) else {
            throw FrontendConfig.Invalid(description: "Invalid aws credential configuration.")
        }
        var properties: [(String, String)] = [
            ("aws.s3.endpoint", endpoint), ("aws.s3.region", region), ("aws.s3.access_key", accessKey), ("aws.s3.secret_key", secretKey),
            ("aws.s3.use_instance_profile", String(useInstanceProfile)), ("aws.s3.use_aws_sdk_default_behavior", String(useAwsSdkDefaultBehavior)),
        ]
        if !iamRoleArn.isEmpty { properties.append(("aws.s3.iam_role_arn", iamRoleArn)) }
        if !externalID.isEmpty { properties.append(("aws.s3.external_id", externalID)) }
        let location = "s3://" + trimmed
        let params: [String: String]
        do { params = try StorageVolumeRules.params(properties.filter { !$0.1.isEmpty }, location: location).params } catch {
            throw FrontendConfig.Invalid(description: "fe.conf: \(error)")
        }
        return StorageVolume(id: 0, name: StorageVolume.builtinName, type: "S3", locations: [location], params: params, enabled: true,
                             comment: "", isDefault: false)
    }
}
