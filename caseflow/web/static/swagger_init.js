// Starts Swagger UI 5 on /docs (a file, not an inline script: the Content-Security-Policy allows
// none). It reads FastAPI's OpenAPI 3.1 as it is.
(function () {
  var root = document.getElementById("swagger-ui");
  fetch(root.getAttribute("data-openapi-url"), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (spec) {
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
