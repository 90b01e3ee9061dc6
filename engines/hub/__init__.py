"""The model manager's Qt-free half: a hub client (:mod:`engines.hub.client`), resumable
checked downloads (:mod:`engines.hub.download`), install/verify/remove
(:mod:`engines.hub.manager`) and shared model folders (:mod:`engines.hub.scan`)."""
