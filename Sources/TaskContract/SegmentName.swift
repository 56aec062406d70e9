/// Segment names as the FE gives them (made by `LocalVolume.segmentPath`): `db<d>/t<t>/txn<x>.seg`, relative to a
/// storage root or a volume's prefix. A name from the network or from a bucket listing is used only if it has exactly
/// this shape.
public enum SegmentName {
    public static func isValid(_ path: String) -> Bool { parse(path) != nil }

    /// The table id of a valid name.
    public static func tableID(_ path: String) -> Int64? { parse(path)?.table }

    static func parse(_ path: String) -> (database: Int64, table: Int64, txn: Int64)? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].hasSuffix(".seg") else { return nil }
        func numbered(_ part: Substring, _ prefix: String) -> Int64? {
            let digits = part.dropFirst(prefix.count)
            guard part.hasPrefix(prefix), (1...19).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int64(digits)
        }
        guard let d = numbered(parts[0], "db"), let t = numbered(parts[1], "t"), let x = numbered(parts[2].dropLast(4), "txn") else { return nil }
        return (d, t, x)
    }
}
