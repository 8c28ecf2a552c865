// Renders the API document the app serves (functions/api: ai/lipsync/api/openapi.yaml).
window.ui = SwaggerUIBundle({
  url: 'api/openapi.yaml',
  dom_id: '#api-docs',
  deepLinking: true
});
