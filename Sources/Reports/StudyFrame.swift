/// An environment frame shown in a study report: the SVG, the chart file it is written to,
/// its group and which run it comes from ("variant, seed s").
public struct StudyFrame: Sendable, Equatable {
    public let file: String
    public let group: String
    public let svg: String
    public let source: String
}
