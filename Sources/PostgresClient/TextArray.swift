import Foundation

/// PostgreSQL's text form of a `text[]` value, for passing a list as one bound parameter.
public enum TextArray {
    public static func literal(_ values: [String]) -> String {
        let elements = values.map { value in
            "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                + "\""
        }
        return "{" + elements.joined(separator: ",") + "}"
    }
}
