// Starts Swagger UI on /docs (a file, not an inline script: the Content-Security-Policy allows none).
// The bundled Swagger UI (4.x) renders OpenAPI 3.0 only; FastAPI writes 3.1. The page shows the
// schema as 3.0 — /openapi.json itself is served unchanged to every other client.
(function () {
  var root = document.getElementById("swagger-ui");
  fetch(root.getAttribute("data-openapi-url"), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (spec) {
      if (/^3\.1\./.test(spec.openapi || "")) spec.openapi = "3.0.3";
      window.ui = SwaggerUIBundle({
        spec: spec,
        dom_id: "#swagger-ui",
        layout: "BaseLayout",
        deepLinking: true,
        showExtensions: true,
        showCommonExtensions: true,
        presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
      });
    });
})();
