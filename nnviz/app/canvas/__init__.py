"""The network view: pure layout geometry (`layout`), colours (`palette`), the cached edge layer
(`edge_layer`), the per-frame overlay (`overlay`) and the widget that puts them together (`widget`)."""
