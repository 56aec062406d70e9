import CAvro
import Expressions
import Foundation

/// Where writer schemas come from: the Confluent schema registry on a node (``LoadBatch`` is given one), a dictionary
/// in tests. Implementations are shared by a task's decoder threads.
public protocol AvroSchemaSource: Sendable {
    /// The schema text registered under `id`.
    func schema(id: Int32) throws(AvroSchemaError) -> String
}

public enum AvroSchemaError: Error, Equatable, Sendable {
    /// The registry answered that there is no such schema: the message is an error row.
    case unknown(String)
    /// The registry could not answer (down, 5xx, timed out): the task fails and is retried; nothing is lost.
    case unavailable(String)
}

/// Decodes Confluent-framed Avro messages (magic byte 0, a 4-byte big-endian schema id, the Avro binary body) with
/// libavro, each message with its own writer schema (so messages written with newer and older schemas load side by
/// side; columns are matched by field name), into JSON values the JSON load path maps to columns. Avro's logical
/// types become what their columns expect: `date` → `yyyy-MM-dd`, `timestamp-millis/micros` → a datetime in the job's
/// time zone, `decimal` → its exact decimal text; enums become their symbol, records and maps objects, arrays arrays.
/// One decoder per decoding thread.
final class AvroDecoder {
    enum Failure: Error {
        /// This message cannot be loaded (an error row with this reason).
        case row(String)
        /// The schema registry cannot be reached: the task fails.
        case source(String)
    }

    private let source: any AvroSchemaSource
    private let timeZone: TimeZone
    private var schemas: [Int32: WriterSchema] = [:]

    init(source: any AvroSchemaSource, timeZone: TimeZone) {
        self.source = source
        self.timeZone = timeZone
    }

    /// Field-to-column maps of the flat path, per writer schema.
    private var columnsOf: [Int32: [Int?]] = [:]

    /// The flat path (simple mode, no jsonpaths): a record's top-level fields straight into a row of `fieldNames`,
    /// matched by name, without building a document.
    func decodeRow(_ message: UnsafeRawBufferPointer, fieldNames: [String]) throws(Failure) -> [Value] {
        let (id, writer) = try read(message)
        var top = writer.value
        guard tr_avro_type(&top) == AVRO_RECORD else { throw .row("the Avro value is not a record") }
        let map: [Int?]
        if let m = columnsOf[id] { map = m } else {
            map = writer.root.names.map { name in fieldNames.firstIndex(of: name) }
            columnsOf[id] = map
        }
        var row = [Value](repeating: .null, count: fieldNames.count)
        var count = 0
        _ = tr_avro_size(&top, &count)
        for i in 0..<min(count, map.count) {
            guard let column = map[i] else { continue }
            var child = avro_value_t()
            guard tr_avro_child(&top, i, &child, nil) == 0 else { continue }
            let node = writer.root.children[i]
            if let v = try scalar(&child, node) { row[column] = v } else { row[column] = LoadBatch.value(try convert(&child, node)) }
        }
        return row
    }

    /// A primitive without logical type as a row value directly; nil for anything else.
    private func scalar(_ v: inout avro_value_t, _ node: AvroNode) throws(Failure) -> Value? {
        guard node.logical == .none else { return nil }
        switch tr_avro_type(&v) {
        case AVRO_NULL: return Value.null
        case AVRO_INT32:
            var i: Int32 = 0
            _ = tr_avro_int(&v, &i)
            return .int(Int64(i))
        case AVRO_INT64:
            var l: Int64 = 0
            _ = tr_avro_long(&v, &l)
            return .int(l)
        case AVRO_STRING:
            var p: UnsafePointer<CChar>?
            var size = 0
            guard tr_avro_string(&v, &p, &size) == 0, let p else { return Value.null }
            return .string(String(decoding: UnsafeRawBufferPointer(start: p, count: max(0, size - 1)), as: UTF8.self))
        case AVRO_UNION:
            var discriminant: Int32 = 0
            var branch = avro_value_t()
            guard tr_avro_branch(&v, &discriminant, &branch) == 0 else { return Value.null }
            let b = Int(discriminant) < node.children.count ? node.children[Int(discriminant)] : AvroNode.plain
            if let v = try scalar(&branch, b) { return v }
            return LoadBatch.value(try convert(&branch, b))
        default: return nil
        }
    }

    func decode(_ message: UnsafeRawBufferPointer) throws(Failure) -> JSONValue {
        let (_, writer) = try read(message)
        var top = writer.value
        return try convert(&top, writer.root)
    }

    /// Reads a framed message into its writer schema's value.
    private func read(_ message: UnsafeRawBufferPointer) throws(Failure) -> (Int32, WriterSchema) {
        guard message.count >= 5, message[0] == 0 else {
            let first = message.first.map { String(format: "0x%02x", $0) } ?? "nothing"
            throw .row("not a Confluent Avro message: it must start with the magic byte 0 and a 4-byte schema id, it starts with \(first)")
        }
        let id = Int32(bitPattern: UInt32(message[1]) << 24 | UInt32(message[2]) << 16 | UInt32(message[3]) << 8 | UInt32(message[4]))
        let writer = try schema(id)
        let body = UnsafeRawBufferPointer(rebasing: message[5...])
        do { try AvroBodyCheck.check(body, writer.root) } catch { throw .row("the Avro body does not decode with schema \(id): \(error.reason)") }
        guard let reader = avro_reader_memory(body.baseAddress?.assumingMemoryBound(to: CChar.self), Int64(body.count)) else {
            throw .row("cannot read the Avro body")
        }
        defer { avro_reader_free(reader) }
        guard avro_value_read(reader, &writer.value) == 0 else { throw .row("the Avro body does not decode with schema \(id)") }
        return (id, writer)
    }

    private func schema(_ id: Int32) throws(Failure) -> WriterSchema {
        if let s = schemas[id] { return s }
        let text: String
        do { text = try source.schema(id: id) } catch {
            switch error {
            case .unknown(let why): throw .row("unknown Avro schema id \(id): \(why)")
            case .unavailable(let why): throw .source("the schema registry cannot give schema \(id): \(why)")
            }
        }
        let parsed: WriterSchema
        do { parsed = try WriterSchema(text) } catch { throw .row("Avro schema \(id) cannot be used: \(error.message)") }
        schemas[id] = parsed
        return parsed
    }

    /// One Avro value as JSON; `node` (compiled from the writer schema) tells logical types and where children come from.
    private func convert(_ v: inout avro_value_t, _ node: AvroNode) throws(Failure) -> JSONValue {
        switch tr_avro_type(&v) {
        case AVRO_NULL: return .null
        case AVRO_BOOLEAN:
            var b: Int32 = 0
            _ = tr_avro_boolean(&v, &b)
            return .bool(b != 0)
        case AVRO_INT32:
            var i: Int32 = 0
            _ = tr_avro_int(&v, &i)
            switch node.logical {
            case .date:
                guard (-719_162...2_932_896).contains(Int64(i)) else { throw .row("an Avro date outside years 1-9999") }
                return .string(DateFormat.format(Date(timeIntervalSince1970: Double(i) * 86_400), "%Y-%m-%d", Self.utc))
            case .timeMillis: return .string(Self.timeOfDay(Int64(i) * 1000))
            default: return .number(String(i))
            }
        case AVRO_INT64:
            var l: Int64 = 0
            _ = tr_avro_long(&v, &l)
            switch node.logical {
            case .timestampMillis(let local): return .string(try datetime(l, perSecond: 1000, local: local))
            case .timestampMicros(let local): return .string(try datetime(l, perSecond: 1_000_000, local: local))
            case .timeMicros: return .string(Self.timeOfDay(l))
            default: return .number(String(l))
            }
        case AVRO_FLOAT:
            var f: Float = 0
            _ = tr_avro_float(&v, &f)
            return f.isFinite ? .number(String(f)) : .null
        case AVRO_DOUBLE:
            var d: Double = 0
            _ = tr_avro_double(&v, &d)
            return d.isFinite ? .number(String(d)) : .null
        case AVRO_STRING:
            var p: UnsafePointer<CChar>?
            var size = 0
            guard tr_avro_string(&v, &p, &size) == 0, let p else { return .null }
            return .string(String(decoding: UnsafeRawBufferPointer(start: p, count: max(0, size - 1)), as: UTF8.self))
        case AVRO_BYTES, AVRO_FIXED:
            var p: UnsafeRawPointer?
            var size = 0
            let rc = tr_avro_type(&v) == AVRO_BYTES ? tr_avro_bytes(&v, &p, &size) : tr_avro_fixed(&v, &p, &size)
            guard rc == 0 else { return .null }
            let bytes = UnsafeRawBufferPointer(start: p, count: p == nil ? 0 : size)
            if case .decimal(let scale) = node.logical {
                guard bytes.count <= 32 else { throw .row("an Avro decimal of \(bytes.count) bytes (at most 32 fit DECIMAL)") }
                return .number(Self.decimal([UInt8](bytes), scale: scale))
            }
            return .string(String(decoding: bytes, as: UTF8.self))
        case AVRO_ENUM:
            var i: Int32 = 0
            _ = tr_avro_enum(&v, &i)
            guard i >= 0, Int(i) < node.symbols.count else { throw .row("enum index \(i) has no symbol") }
            return .string(node.symbols[Int(i)])
        case AVRO_RECORD:
            return .object(try children(&v) { i in i < node.children.count ? node.children[i] : AvroNode.plain })
        case AVRO_MAP:
            let values = node.children.first ?? AvroNode.plain
            return .object(try children(&v) { _ in values })
        case AVRO_ARRAY:
            let items = node.children.first ?? AvroNode.plain
            return .array(try children(&v) { _ in items }.map(\.1))
        case AVRO_UNION:
            var discriminant: Int32 = 0
            var branch = avro_value_t()
            guard tr_avro_branch(&v, &discriminant, &branch) == 0 else { return .null }
            return try convert(&branch, Int(discriminant) < node.children.count ? node.children[Int(discriminant)] : AvroNode.plain)
        default:
            throw .row("an Avro value of an unknown type")
        }
    }

    /// The members of a record or map, or the items of an array, each converted with the node `nodeOf` gives.
    private func children(_ v: inout avro_value_t, nodeOf: (Int) -> AvroNode) throws(Failure) -> [(String, JSONValue)] {
        var count = 0
        _ = tr_avro_size(&v, &count)
        var out: [(String, JSONValue)] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            var child = avro_value_t()
            var name: UnsafePointer<CChar>?
            guard tr_avro_child(&v, i, &child, &name) == 0 else { continue }
            out.append((name.map { String(cString: $0) } ?? "", try convert(&child, nodeOf(i))))
        }
        return out
    }

    static let utc = TimeZone(secondsFromGMT: 0)!

    private func datetime(_ value: Int64, perSecond: Int64, local: Bool) throws(Failure) -> String {
        let (q, r) = value.quotientAndRemainder(dividingBy: perSecond)
        let seconds = r < 0 ? q - 1 : q, fraction = r < 0 ? r + perSecond : r
        guard (-62_135_596_800...253_402_300_799).contains(seconds) else { throw .row("an Avro timestamp outside years 1-9999") }
        let text = DateFormat.format(Date(timeIntervalSince1970: Double(seconds)), "%Y-%m-%d %H:%i:%s",
                                     local ? Self.utc : timeZone)
        guard fraction != 0 else { return text }
        let digits = perSecond == 1000 ? 3 : 6
        let f = String(fraction)
        return text + "." + String(repeating: "0", count: digits - f.count) + f
    }

    static func timeOfDay(_ micros: Int64) -> String {
        let s = max(0, micros / 1_000_000)
        func p(_ n: Int64) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(p(s / 3600 % 24)):\(p(s / 60 % 60)):\(p(s % 60))"
    }

    /// A decimal's unscaled value (big-endian two's complement) as decimal text with `scale` digits after the point.
    static func decimal(_ bytes: [UInt8], scale: Int) -> String {
        guard !bytes.isEmpty else { return "0" }
        let negative = bytes[0] & 0x80 != 0
        var magnitude = bytes
        if negative {                                              // two's complement → magnitude
            for i in magnitude.indices { magnitude[i] = ~magnitude[i] }
            var i = magnitude.count - 1
            while i >= 0 { magnitude[i] &+= 1; if magnitude[i] != 0 { break }; i -= 1 }
        }
        var digits: [UInt8] = []
        while magnitude.contains(where: { $0 != 0 }) {             // repeated division by 10
            var remainder = 0
            for i in magnitude.indices {
                let acc = remainder << 8 | Int(magnitude[i])
                magnitude[i] = UInt8(acc / 10)
                remainder = acc % 10
            }
            digits.append(UInt8(remainder))
        }
        var text = String(digits.reversed().map { Character(String($0)) })
        if text.isEmpty { text = "0" }
        if scale > 0 {
            if text.count <= scale { text = String(repeating: "0", count: scale - text.count + 1) + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -scale))
        }
        return (negative ? "-" : "") + text
    }
}

/// A writer schema's types compiled once, so decoding a value looks nothing up: its logical type, enum symbols, and
/// the nodes of its record fields, map values, array items or union branches. Recursive types share nodes.
final class AvroNode {
    enum Logical: Equatable {
        case none, date, timeMillis, timeMicros
        case timestampMillis(local: Bool), timestampMicros(local: Bool)
        case decimal(scale: Int)
    }
    /// The binary shape, for ``AvroBodyCheck``.
    enum Kind: Equatable {
        case null, boolean, int, long, float, double, bytes, string, record, enumeration, array, map, union, fixed(Int)
        case unknown
    }
    var kind: Kind = .unknown
    var logical: Logical = .none
    var symbols: [String] = []
    var children: [AvroNode] = []
    /// A record's field names, in order.
    var names: [String] = []

    /// A type with nothing to tell (what a malformed schema leaves out).
    static var plain: AvroNode { AvroNode() }

    static func primitive(_ name: String) -> Kind? {
        switch name {
        case "null": return .null
        case "boolean": return .boolean
        case "int": return .int
        case "long": return .long
        case "float": return .float
        case "double": return .double
        case "bytes": return .bytes
        case "string": return .string
        default: return nil
        }
    }

    /// Compiles a schema node; `named` holds the named types seen so far (a reference to one returns its node).
    static func compile(_ json: JSONValue, namespace: String?, named: inout [String: AvroNode]) -> AvroNode {
        switch json {
        case .string(let name):
            if let kind = primitive(name) {
                let node = AvroNode()
                node.kind = kind
                return node
            }
            let full = name.contains(".") || namespace == nil ? name : namespace! + "." + name
            return named[full] ?? named[name] ?? plain
        case .array(let branches):
            let node = AvroNode()
            node.kind = .union
            node.children = branches.map { compile($0, namespace: namespace, named: &named) }
            return node
        case .object:
            let node = AvroNode()
            var ns = namespace
            if case .string(let name)? = json["name"] {
                if case .string(let given)? = json["namespace"] { ns = given }
                if name.contains(".") { ns = String(name[..<name.lastIndex(of: ".")!]) }
                let full = name.contains(".") || ns == nil || ns!.isEmpty ? name : ns! + "." + name
                named[full] = node                                 // before the fields: a record may refer to itself
                named[String(full.split(separator: ".").last ?? Substring(full))] = node
            }
            let type: String? = { if case .string(let t)? = json["type"] { return t } else { return nil } }()
            if let t = type, let kind = primitive(t) { node.kind = kind }
            switch type {
            case "record", "error":
                node.kind = .record
                if case .array(let fields)? = json["fields"] {
                    node.children = fields.map { compile($0["type"] ?? .null, namespace: ns, named: &named) }
                    node.names = fields.map { if case .string(let n)? = $0["name"] { return n } else { return "" } }
                }
            case "enum":
                node.kind = .enumeration
                if case .array(let symbols)? = json["symbols"] { node.symbols = symbols.compactMap { if case .string(let s) = $0 { return s } else { return nil } } }
            case "array":
                node.kind = .array
                node.children = [compile(json["items"] ?? .null, namespace: ns, named: &named)]
            case "map":
                node.kind = .map
                node.children = [compile(json["values"] ?? .null, namespace: ns, named: &named)]
            case "fixed":
                let size: Int = { if case .number(let n)? = json["size"] { return Int(n) ?? -1 } else { return -1 } }()
                node.kind = size >= 0 ? .fixed(size) : .unknown
            case nil:
                if let inner = json["type"] { return compile(inner, namespace: ns, named: &named) }   // {"type": {…}}
            default: break
            }
            switch json["logicalType"] {
            case .string("date")?: node.logical = .date
            case .string("time-millis")?: node.logical = .timeMillis
            case .string("time-micros")?: node.logical = .timeMicros
            case .string("timestamp-millis")?: node.logical = .timestampMillis(local: false)
            case .string("timestamp-micros")?: node.logical = .timestampMicros(local: false)
            case .string("local-timestamp-millis")?: node.logical = .timestampMillis(local: true)
            case .string("local-timestamp-micros")?: node.logical = .timestampMicros(local: true)
            case .string("decimal")?:
                let scale: Int = { if case .number(let n)? = json["scale"] { return Int(n) ?? 0 } else { return 0 } }()
                if (0...38).contains(scale) { node.logical = .decimal(scale: scale) }
            default: break
            }
            return node
        default:
            return plain
        }
    }
}

/// A writer schema: libavro's parsed form and a reusable value to decode into, and the schema's JSON with its named
/// types, which tell logical types and where each union branch and record field comes from.
final class WriterSchema {
    let schema: avro_schema_t
    let iface: UnsafeMutablePointer<avro_value_iface_t>
    var value = avro_value_t()
    let root: AvroNode
    /// Named types: the only way a schema refers back to itself, so the only nodes that can form cycles.
    private let named: [String: AvroNode]

    struct Invalid: Error { var message: String }

    init(_ text: String) throws(Invalid) {
        let json: JSONValue
        do { json = try JSONParser.parse(text) } catch { throw Invalid(message: "not JSON: \(error)") }
        var s: avro_schema_t?
        guard text.withCString({ avro_schema_from_json_length($0, text.utf8.count, &s) }) == 0, let s else {
            throw Invalid(message: String(cString: avro_strerror()))
        }
        guard let iface = avro_generic_class_from_schema(s) else {
            avro_schema_decref(s)
            throw Invalid(message: String(cString: avro_strerror()))
        }
        schema = s
        self.iface = iface
        guard avro_generic_value_new(iface, &value) == 0 else {
            tr_avro_iface_decref(iface)
            avro_schema_decref(s)
            throw Invalid(message: String(cString: avro_strerror()))
        }
        var named: [String: AvroNode] = [:]
        root = AvroNode.compile(json, namespace: nil, named: &named)
        self.named = named
    }

    deinit {
        for node in named.values { node.children = [] }              // a recursive schema's nodes refer to each other
        avro_value_decref(&value)
        tr_avro_iface_decref(iface)
        avro_schema_decref(schema)
    }
}
