/// The controller: AWX v2 REST API, storage, dispatcher. See docs/CONTROLLER-DESIGN.md.
public enum TroupeControllerVersion {
    public static let version = "0.1.0"
}
