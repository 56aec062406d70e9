/// Walks an Avro binary body against its compiled writer schema before libavro reads it, and refuses what Debian's
/// libavro 1.11 does not check itself: a union branch or enum index out of range, a negative or oversized length, an
/// overlong varint, a block of zero-width items claiming millions of them, nesting deeper than ``maxDepth`` (recursive
/// schemas), trailing bytes. Anything refused is an error row with the reason; nothing malformed reaches C code.
struct AvroBodyCheck {
    static let maxDepth = 64
    /// Items of zero width (nulls, empty records) a message may claim in total.
    static let maxEmptyItems = 100_000

    struct Refusal: Error { var reason: String }

    private let bytes: UnsafeRawBufferPointer
    private var at = 0
    private var emptyItems = 0

    static func check(_ body: UnsafeRawBufferPointer, _ root: AvroNode) throws(Refusal) {
        var c = AvroBodyCheck(bytes: body)
        try c.walk(root, depth: 0)
        guard c.at == body.count else { throw Refusal(reason: "\(body.count - c.at) bytes follow the Avro value") }
    }

    private init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    private mutating func varint(_ maxBytes: Int) throws(Refusal) -> Int64 {
        var raw: UInt64 = 0
        var shift: UInt64 = 0
        for n in 0..<maxBytes {
            guard at < bytes.count else { throw Refusal(reason: "the Avro body ends inside a number") }
            let b = bytes[at]
            at += 1
            raw |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))) }   // zig-zag
            shift += 7
            if n == maxBytes - 1 { break }
        }
        throw Refusal(reason: "an Avro number longer than \(maxBytes) bytes")
    }

    private mutating func skip(_ n: Int64, _ what: String) throws(Refusal) {
        guard n >= 0, n <= Int64(bytes.count - at) else { throw Refusal(reason: "an Avro \(what) of \(n) bytes where \(bytes.count - at) are left") }
        at += Int(n)
    }

    private mutating func walk(_ node: AvroNode, depth: Int) throws(Refusal) {
        guard depth <= Self.maxDepth else { throw Refusal(reason: "Avro values nested deeper than \(Self.maxDepth)") }
        switch node.kind {
        case .null: break
        case .boolean:
            try skip(1, "boolean")
            guard bytes[at - 1] <= 1 else { throw Refusal(reason: "an Avro boolean that is neither 0 nor 1") }
        case .int: _ = try varint(5)
        case .long: _ = try varint(10)
        case .float: try skip(4, "float")
        case .double: try skip(8, "double")
        case .bytes, .string: try skip(try varint(10), node.kind == .string ? "string" : "bytes")
        case .fixed(let size): try skip(Int64(size), "fixed")
        case .enumeration:
            let i = try varint(5)
            guard i >= 0, i < node.symbols.count else { throw Refusal(reason: "Avro enum index \(i) is not one of \(node.symbols.count) symbols") }
        case .union:
            let i = try varint(10)
            guard i >= 0, i < node.children.count else { throw Refusal(reason: "Avro union branch \(i) is not one of \(node.children.count)") }
            try walk(node.children[Int(i)], depth: depth + 1)
        case .record:
            for child in node.children { try walk(child, depth: depth + 1) }
        case .array, .map:
            let item = node.children.first ?? AvroNode.plain
            while true {
                var count = try varint(10)
                if count == 0 { break }
                if count < 0 {
                    guard count != Int64.min else { throw Refusal(reason: "an Avro block count out of range") }
                    count = -count
                    _ = try varint(10)                                  // the block's byte size
                }
                for _ in 0..<count {
                    let itemStart = at
                    if node.kind == .map { try skip(try varint(10), "map key") }
                    try walk(item, depth: depth + 1)
                    if at == itemStart {
                        emptyItems += 1
                        guard emptyItems <= Self.maxEmptyItems else { throw Refusal(reason: "an Avro block of more than \(Self.maxEmptyItems) empty items") }
                    }
                }
            }
        case .unknown:
            throw Refusal(reason: "the Avro schema has a type Tributary cannot read")
        }
    }
}
