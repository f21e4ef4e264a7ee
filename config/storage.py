"""Static files in production: hashed names, compressed copies, and ES module imports rewritten.

Without the rewrite, `import … from "./socket.js"` would load the unhashed file (cached only
briefly) and a page that also loads the hashed name would run the module twice.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
