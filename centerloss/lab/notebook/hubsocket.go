package notebook

import "github.com/janpfeifer/gonb/gonbui/dom"

// GoNB's widgets talk to the kernel over a websocket that GoNB's kernel opens from the page at
// ws://<host>/api/kernels/<id>/channels: the server's root, always. Behind JupyterHub a learner's server lives
// under /user/<name>/ (and the page may be https), so that socket reaches the hub instead and no widget answers.
// fixWidgetSocket, sent to the page before GoNB's script, makes the page's WebSocket put the server's base URL (from
// JupyterLab's own page configuration) and the page's scheme into exactly that URL; on a server at the root (make
// lab) it changes nothing.
const fixWidgetSocket = `(() => {
	if (globalThis.centerloss_widget_socket) return;
	globalThis.centerloss_widget_socket = true;
	const config = document.getElementById("jupyter-config-data");
	const base = ((config && JSON.parse(config.textContent).baseUrl) || "/").replace(/\/?$/, "/");
	const secure = location.protocol === "https:";
	if (base === "/" && !secure) return;
	const gonbs = "ws://" + location.host + "/api/kernels/";
	const Native = globalThis.WebSocket;
	globalThis.WebSocket = class extends Native {
		constructor(url, protocols) {
			if (typeof url === "string" && url.startsWith(gonbs)) {
				url = (secure ? "wss://" : "ws://") + location.host + base + "api/kernels/" + url.slice(gonbs.length);
			}
			super(url, protocols);
		}
	};
})();`

// sendWidgetSocketFix sends fixWidgetSocket to the page (it runs once per page).
func sendWidgetSocketFix() {
	dom.TransientJavascript(fixWidgetSocket)
}
