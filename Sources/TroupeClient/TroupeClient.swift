/// The controller's Swift client. See docs/CONTROLLER-DESIGN.md.
public enum TroupeClientVersion {
    public static let version = "0.1.0"
}
