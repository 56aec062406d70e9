extension String {
    /// ASCII case-insensitive equality, for keyword matching without Foundation.
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where x != y {
            let lx = (x >= 0x41 && x <= 0x5A) ? x + 32 : x
            let ly = (y >= 0x41 && y <= 0x5A) ? y + 32 : y
            if lx != ly { return false }
        }
        return true
    }
}

extension String {
    /// The string without leading and trailing whitespace (Foundation-free).
    public var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
