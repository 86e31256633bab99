extension StringProtocol {
    /// The text without leading and trailing whitespace (loading, SQL rendering, catalog text and diffing).
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
