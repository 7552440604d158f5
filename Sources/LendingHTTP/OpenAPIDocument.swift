/// The OpenAPI 3.1 document of the service, served at `GET /openapi.yaml`: the resource
/// `Resources/openapi.yaml` of this module (docs/openapi.yaml links to it), compiled in.
public enum OpenAPIDocument {
    /// The document's text.
    public static let yaml = String(decoding: PackageResources.openapi_yaml, as: UTF8.self)
}
