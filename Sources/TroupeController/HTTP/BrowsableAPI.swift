import Foundation
import HTTPTypes
import Hummingbird

/// The browsable API: any JSON answer rendered as an HTML page (pretty JSON with links,
/// the allowed methods, and a raw-data form for POST/PUT/PATCH), and the login page.
enum BrowsableAPI {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Pretty JSON whose `/api/…/` strings are links.
    static func linkedJSON(_ json: JSON) -> String {
        let escaped = escape(json.serialized(pretty: true))
        // Strings are rendered as &quot;/api/...&quot; after escaping.
        guard let regex = try? NSRegularExpression(pattern: "&quot;(/api/[^&\\s]*)&quot;") else { return escaped }
        let range = NSRange(escaped.startIndex..., in: escaped)
        return regex.stringByReplacingMatches(in: escaped, range: range, withTemplate: "&quot;<a href=\"$1\">$1</a>&quot;")
    }

    static func page(for json: JSON, status: HTTPResponse.Status, request: Request, allow: String?) -> String {
        let path = request.uri.path
        let methods = (allow ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let title = path.split(separator: "/").last.map { $0.replacingOccurrences(of: "_", with: " ").capitalized } ?? "API"
        var forms = ""
        let writeMethods = methods.filter { ["POST", "PUT", "PATCH"].contains($0) }
        if !writeMethods.isEmpty {
            forms += "<section id=\"raw-data\"><h2>Raw data</h2><form id=\"api-form\" onsubmit=\"return troupeSubmit(event)\">"
            forms += "<select id=\"form-method\">" + writeMethods.map { "<option>\($0)</option>" }.joined() + "</select>"
            let initial = writeMethods.contains("POST") ? "{\n}" : escape(json.serialized(pretty: true))
            forms += "<textarea id=\"form-content\" rows=\"12\" cols=\"80\">\(initial)</textarea>"
            forms += "<button type=\"submit\" id=\"form-submit\">Submit</button></form><pre id=\"form-result\"></pre></section>"
        }
        return """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>\(escape(title)) | Troupe REST API</title>
        <style>body{font-family:sans-serif;margin:2em}pre{background:#f6f6f6;padding:1em;overflow:auto}
        .status{font-weight:bold}nav a{margin-right:1em}</style></head>
        <body><nav><a href="/api/">REST API</a><a href="/api/v2/">v2</a><a href="/api/login/?next=\(escape(path))">Log in</a><a href="/api/logout/">Log out</a></nav>
        <h1 id="title">\(escape(title))</h1>
        \(livePageLink(path))
        <p class="status" id="status">\(status.code) \(escape(status.reasonPhrase))</p>
        <p id="allow">Allow: \(escape(allow ?? ""))</p>
        <pre id="content">\(linkedJSON(json))</pre>
        \(forms)
        <script>
        function csrf(){const m=document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);return m?m[1]:'';}
        function troupeSubmit(e){e.preventDefault();
          fetch(window.location.pathname,{method:document.getElementById('form-method').value,
            headers:{'Content-Type':'application/json','X-CSRFToken':csrf(),'Accept':'application/json'},
            body:document.getElementById('form-content').value,credentials:'same-origin'})
          .then(r=>r.text().then(t=>{document.getElementById('form-result').textContent=r.status+' '+t;
            if(r.status==201){try{const o=JSON.parse(t);if(o.url){window.location=o.url;}}catch(x){}}}));
          return false;}
        </script></body></html>
        """
    }

    /// A job's or ad hoc command's detail page links to its live page.
    static func livePageLink(_ path: String) -> String {
        let parts = path.split(separator: "/")
        guard parts.count == 4, parts[0] == "api", parts[1] == "v2", ["jobs", "ad_hoc_commands"].contains(parts[2]),
              let id = Int(parts[3]) else { return "" }
        return "<p><a id=\"live-output\" href=\"/api/v2/\(parts[2])/\(id)/live/\">Live output</a></p>"
    }

    static func loginPage(csrf: String, next: String, error: String?) -> String {
        """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>Log in | Troupe REST API</title></head>
        <body><h1>Log in</h1>
        \(error.map { "<p id=\"error\">\(escape($0))</p>" } ?? "")
        <form method="post" action="/api/login/" id="login-form">
        <input type="hidden" name="csrfmiddlewaretoken" value="\(escape(csrf))">
        <input type="hidden" name="next" value="\(escape(next))">
        <label>Username <input type="text" name="username" id="id_username"></label>
        <label>Password <input type="password" name="password" id="id_password"></label>
        <button type="submit" id="login-submit">Log in</button>
        </form></body></html>
        """
    }
}
