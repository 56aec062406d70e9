/// Merges Prometheus text expositions of several registries that hold the same families (``FrontendMetrics``' shards):
/// each family once, with its first HELP and TYPE lines and every shard's samples. Values and escaping stay
/// swift-prometheus' own; only lines are regrouped. Pure.
enum PrometheusText {
    static func merge(_ texts: [String]) -> String {
        var order: [Substring] = []
        var headers: [Substring: [Substring]] = [:]
        var samples: [Substring: [Substring]] = [:]
        for text in texts {
            var family: Substring = ""
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
                if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                    let name = line.dropFirst(7).prefix { $0 != " " }
                    family = name
                    if headers[name] == nil { order.append(name); headers[name] = [] }
                    if headers[name]!.count < 2, !headers[name]!.contains(where: { $0.prefix(7) == line.prefix(7) }) { headers[name]!.append(line) }
                } else {
                    samples[family, default: []].append(line)
                }
            }
        }
        var out = ""
        for name in order {
            let lines = samples[name] ?? []
            guard !lines.isEmpty else { continue }
            for header in headers[name] ?? [] { out += header; out += "\n" }
            for line in lines { out += line; out += "\n" }
        }
        return out
    }
}
