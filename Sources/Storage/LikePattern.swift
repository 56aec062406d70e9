/// MySQL LIKE matching (`%`, `_`, `\` escape), case-insensitive as SHOW ... LIKE is.
public struct LikePattern: Sendable {
    private enum Piece: Equatable { case literal(Character), one, any }
    private let pieces: [Piece]

    public init(_ pattern: String) {
        var out: [Piece] = []
        var escaped = false
        for c in pattern.lowercased() {
            if escaped { out.append(.literal(c)); escaped = false; continue }
            switch c {
            case "\\": escaped = true
            case "%": if out.last != .any { out.append(.any) }
            case "_": out.append(.one)
            default: out.append(.literal(c))
            }
        }
        if escaped { out.append(.literal("\\")) }
        pieces = out
    }

    public func matches(_ text: String) -> Bool {
        let chars = Array(text.lowercased())
        // Iterative wildcard matching with backtracking to the last `%`.
        var p = 0, t = 0, starP = -1, starT = 0
        while t < chars.count {
            if p < pieces.count {
                switch pieces[p] {
                case .any: starP = p; starT = t; p += 1; continue
                case .one: p += 1; t += 1; continue
                case .literal(let c) where c == chars[t]: p += 1; t += 1; continue
                default: break
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1; starT += 1; t = starT
        }
        while p < pieces.count, pieces[p] == .any { p += 1 }
        return p == pieces.count
    }
}
