/* abikaart letter form: fill in a letter template on its internal page, see it, copy it, download it as .docx.
 *
 * Everything happens in this tab. The values are never stored (no cookie, no Web Storage, no IndexedDB), never
 * sent (the only request is the template's .docx, a static file of this site, fetched when the page opens) and
 * never put in the address or the history (the inputs have no name and the form is never submitted).
 *
 * The letter comes from one source: the template's Word document, made at build time by python-docx with the
 * layout of `abikaart letter render`, where each variable is a marker that is a text run of its own. Its
 * word/document.xml is stored uncompressed in the .docx; this script reads it as XML, leaves out lines the way
 * `letters.render` does (an empty optional value drops its line; a greeting's name drops only itself), puts each
 * value in as a text node (the XML serializer escapes it, so a value is always literal text), shows the result in
 * the preview (again as text nodes, never HTML) and zips the parts again (entries copied as they are, the new
 * document.xml stored with its CRC-32). No third-party code.
 */
(function () {
  "use strict";

  var W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
  var XML_NS = "http://www.w3.org/XML/1998/namespace";
  var DOCUMENT = "word/document.xml";

  // Zip (only what a .docx needs: read the central directory, write entries back) -------------------------

  var CRC_TABLE = (function () {
    var table = new Uint32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  })();

  function crc32(bytes) {
    var crc = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
  }

  function readZip(buffer) {
    var view = new DataView(buffer);
    var end = buffer.byteLength - 22;
    while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
    if (end < 0) throw new Error("not a zip file");
    var count = view.getUint16(end + 10, true);
    var at = view.getUint32(end + 16, true);
    var entries = [];
    for (var i = 0; i < count; i++) {
      if (view.getUint32(at, true) !== 0x02014b50) throw new Error("broken zip directory");
      var nameLength = view.getUint16(at + 28, true);
      var skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
      var local = view.getUint32(at + 42, true);
      var size = view.getUint32(at + 20, true);
      var start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      entries.push({
        name: new TextDecoder().decode(new Uint8Array(buffer, at + 46, nameLength)),
        method: view.getUint16(at + 10, true),
        crc: view.getUint32(at + 16, true),
        size: view.getUint32(at + 24, true),
        data: new Uint8Array(buffer, start, size),
      });
      at += 46 + skip;
    }
    return entries;
  }

  function header(signature, length) {
    var bytes = new Uint8Array(length);
    var view = new DataView(bytes.buffer);
    view.setUint32(0, signature, true);
    return { bytes: bytes, view: view };
  }

  function writeZip(entries) {
    var parts = [];
    var central = [];
    var offset = 0;
    entries.forEach(function (entry) {
      var name = new TextEncoder().encode(entry.name);
      var local = header(0x04034b50, 30);
      var v = local.view;
      v.setUint16(4, 20, true); v.setUint16(8, entry.method, true); v.setUint16(12, 0x21, true);
      v.setUint32(14, entry.crc, true); v.setUint32(18, entry.data.length, true); v.setUint32(22, entry.size, true);
      v.setUint16(26, name.length, true);
      var dir = header(0x02014b50, 46);
      var d = dir.view;
      d.setUint16(4, 20, true); d.setUint16(6, 20, true); d.setUint16(10, entry.method, true);
      d.setUint16(14, 0x21, true); d.setUint32(16, entry.crc, true); d.setUint32(20, entry.data.length, true);
      d.setUint32(24, entry.size, true); d.setUint16(28, name.length, true); d.setUint32(42, offset, true);
      parts.push(local.bytes, name, entry.data);
      central.push(dir.bytes, name);
      offset += 30 + name.length + entry.data.length;
    });
    var size = central.reduce(function (sum, part) { return sum + part.length; }, 0);
    var last = header(0x06054b50, 22);
    last.view.setUint16(8, entries.length, true); last.view.setUint16(10, entries.length, true);
    last.view.setUint32(12, size, true); last.view.setUint32(16, offset, true);
    return new Blob(parts.concat(central, [last.bytes]),
      { type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" });
  }

  // The letter: lines of runs, filled as letters.render fills them -------------------------------------------

  function children(node, name) {
    return Array.prototype.filter.call(node.childNodes, function (child) {
      return child.namespaceURI === W && child.localName === name;
    });
  }

  function runText(run) {
    return children(run, "t").map(function (t) { return t.textContent; }).join("");
  }

  /* Each paragraph as lines; a line is a list of pieces {run, text, name} (name: the variable of a marker run).
   * A run holding a <w:br> ends its line (python-docx puts the break into the line's last run). */
  function parse(doc, markers) {
    var body = doc.getElementsByTagNameNS(W, "body")[0];
    return children(body, "p").map(function (p) {
      var style = p.getElementsByTagNameNS(W, "pStyle")[0];
      var lines = [[]];
      children(p, "r").forEach(function (run) {
        var text = runText(run);
        lines[lines.length - 1].push({ run: run, text: text, name: markers[text] || null });
        var br = children(run, "br")[0];
        if (br) { run.removeChild(br); lines.push([]); }
      });
      return { p: p, heading: !!style && /^Heading/.test(style.getAttributeNS(W, "val")), lines: lines };
    });
  }

  function isEmpty(value) { return !value || !value.trim(); }

  /* One line as letters._lines treats it: null when it is left out, else its pieces' texts (values in). */
  function fillLine(line, values, fields) {
    var empty = line.filter(function (piece) { return piece.name && isEmpty(values[piece.name]); });
    if (empty.some(function (piece) { return !fields[piece.name].keepLine; })) return null;
    var texts = line.map(function (piece) { return piece.text; });
    var dropped = {};
    line.forEach(function (piece, i) {
      if (!piece.name || !isEmpty(values[piece.name])) return;
      dropped[i] = true;
      for (var j = i - 1; j >= 0 && !dropped[j]; j--) {  // "[,\s]*" before the placeholder goes with it
        texts[j] = texts[j].replace(/[,\s]*$/, "");
        if (texts[j] !== "") break;
      }
    });
    var template = texts.filter(function (_, i) { return !dropped[i]; }).join("");
    if (empty.length && /:\s*$/.test(template)) return null;  // "Name:" with nothing after it
    var filled = line.map(function (piece, i) {
      if (dropped[i]) return null;
      return piece.name ? values[piece.name] : texts[i];
    });
    for (var k = filled.length - 1; k >= 0; k--) {  // the line's end is trimmed, as rstrip() does
      if (filled[k] === null) continue;
      filled[k] = filled[k].replace(/\s+$/, "");
      if (filled[k] !== "") break;
    }
    return filled.join("").trim() ? filled : null;
  }

  /* The filled letter: [{heading, lines: [[text, ...], ...]}] plus, when `doc` is given, that document changed to
   * match (left-out lines and paragraphs removed, values in as text). */
  function fill(paragraphs, values, fields, doc) {
    var out = [];
    paragraphs.forEach(function (para) {
      var kept = [];
      para.lines.forEach(function (line) {
        var filled = fillLine(line, values, fields);
        if (filled === null) {
          if (doc) line.forEach(function (piece) { para.p.removeChild(piece.run); });
          return;
        }
        if (doc) line.forEach(function (piece, i) { setRun(doc, piece.run, filled[i]); });
        kept.push({ line: line, texts: filled });
      });
      if (doc) {
        if (!kept.length) { para.p.parentNode.removeChild(para.p); return; }
        kept.slice(0, -1).forEach(function (item) {
          var lastRun = item.line.filter(function (_, i) { return item.texts[i] !== null; }).pop();
          lastRun.run.appendChild(doc.createElementNS(W, "w:br"));
        });
      }
      if (kept.length) {
        out.push({ heading: para.heading, lines: kept.map(function (item) { return item.texts.join(""); }) });
      }
    });
    return out;
  }

  /* A run's text replaced by `text` (null: the run goes): line breaks and tabs as Word's, as python-docx writes them. */
  function setRun(doc, run, text) {
    if (text === null) { run.parentNode.removeChild(run); return; }
    children(run, "t").forEach(function (t) { run.removeChild(t); });
    text.replace(/\r\n?/g, "\n").split(/(\n|\t)/).forEach(function (part) {
      if (part === "\n") { run.appendChild(doc.createElementNS(W, "w:br")); return; }
      if (part === "\t") { run.appendChild(doc.createElementNS(W, "w:tab")); return; }
      if (part === "") return;
      var t = doc.createElementNS(W, "w:t");
      t.setAttributeNS(XML_NS, "xml:space", "preserve");
      t.appendChild(doc.createTextNode(part));
      run.appendChild(t);
    });
  }

  function plainText(letter) {
    var head = [];
    var rest = [];
    var seenHeading = false;
    letter.forEach(function (para) {
      if (para.heading) seenHeading = true;
      (seenHeading ? rest : head).push(para.lines.join("\n"));
    });
    return [head.join("\n")].concat(rest).join("\n\n");
  }

  // The page ------------------------------------------------------------------------------------------------

  function setup(root) {
    var form = root.querySelector("form");
    var preview = root.querySelector("[data-abk-preview]");
    var status = root.querySelector("[data-abk-status]");
    var inputs = Array.prototype.slice.call(form.querySelectorAll("[data-abk-var]"));
    var fields = {};
    var markers = {};
    inputs.forEach(function (input) {
      var name = input.getAttribute("data-abk-var");
      fields[name] = {
        input: input,
        required: input.getAttribute("aria-required") === "true",
        keepLine: input.hasAttribute("data-abk-keep-line"),
        label: input.getAttribute("data-abk-label"),
        error: document.getElementById(input.id + "-error"),
      };
      markers[input.getAttribute("data-abk-marker")] = name;
    });
    var template = null;  // {entries, xml}

    function message(key) { return root.getAttribute("data-abk-msg-" + key) || ""; }

    function say(text) { status.textContent = text; }

    function values(forPreview) {
      var out = {};
      inputs.forEach(function (input) {
        var name = input.getAttribute("data-abk-var");
        out[name] = input.value;
        if (forPreview && fields[name].required && isEmpty(input.value)) out[name] = "[" + fields[name].label + "]";
      });
      return out;
    }

    function showError(name, on) {
      var field = fields[name];
      field.error.textContent = on ? message("missing") : "";
      field.error.hidden = !on;
      if (on) {
        field.input.setAttribute("aria-invalid", "true");
        field.input.setAttribute("aria-describedby", field.error.id);
      } else {
        field.input.removeAttribute("aria-invalid");
        field.input.removeAttribute("aria-describedby");
      }
    }

    function missing() {
      return Object.keys(fields).filter(function (name) {
        return fields[name].required && isEmpty(fields[name].input.value);
      });
    }

    /* Every missing required field marked; false (and the first one focused) when any is missing. */
    function check() {
      var gaps = missing();
      Object.keys(fields).forEach(function (name) { showError(name, gaps.indexOf(name) >= 0); });
      if (gaps.length) {
        say(message("summary"));
        fields[gaps[0]].input.focus();
        return false;
      }
      return true;
    }

    function parsed() {
      var doc = new DOMParser().parseFromString(template.xml, "application/xml");
      return { doc: doc, paragraphs: parse(doc, markers) };
    }

    function render() {
      if (!template) return;
      var letter = fill(parsed().paragraphs, values(true), fields, null);
      var paper = document.createDocumentFragment();
      var head = true;
      letter.forEach(function (para) {
        var element = document.createElement("p");
        var inner = para.heading ? element.appendChild(document.createElement("strong")) : element;
        head = head && !para.heading;
        if (head) element.className = "abk-letter__head";
        if (para.heading) element.className = "abk-letter__subject";
        para.lines.forEach(function (line, i) {
          if (i) inner.appendChild(document.createElement("br"));
          inner.appendChild(document.createTextNode(line));
        });
        paper.appendChild(element);
      });
      preview.replaceChildren(paper);
    }

    function filledDocx() {
      var work = parsed();
      fill(work.paragraphs, values(false), fields, work.doc);
      var xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
        new XMLSerializer().serializeToString(work.doc.documentElement);
      var data = new TextEncoder().encode(xml);
      return writeZip(template.entries.map(function (entry) {
        if (entry.name !== DOCUMENT) return entry;
        return { name: entry.name, method: 0, crc: crc32(data), size: data.length, data: data };
      }));
    }

    function download() {
      if (!template || !check()) return;
      var url = URL.createObjectURL(filledDocx());
      var link = document.createElement("a");
      link.href = url;
      link.download = root.getAttribute("data-abk-file");
      link.hidden = true;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      say(message("downloaded"));
    }

    function copy() {
      if (!template || !check()) return;
      var text = plainText(fill(parsed().paragraphs, values(false), fields, null));
      if (!navigator.clipboard) { say(message("copy-failed")); return; }
      navigator.clipboard.writeText(text).then(function () { say(message("copied")); },
        function () { say(message("copy-failed")); });
    }

    inputs.forEach(function (input) {
      input.addEventListener("input", function () {
        var name = input.getAttribute("data-abk-var");
        if (input.hasAttribute("aria-invalid") && !isEmpty(input.value)) showError(name, false);
        render();
      });
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    root.querySelector("[data-abk-action=copy]").addEventListener("click", copy);
    root.querySelector("[data-abk-action=download]").addEventListener("click", download);

    form.hidden = false;
    root.querySelector("[data-abk-preview-section]").hidden = false;
    var source = new URL(root.getAttribute("data-abk-template"), document.baseURI);
    fetch(source.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + source.href);
        return response.arrayBuffer();
      })
      .then(function (buffer) {
        var entries = readZip(buffer);
        var documentEntry = entries.filter(function (entry) { return entry.name === DOCUMENT; })[0];
        if (!documentEntry || documentEntry.method !== 0) throw new Error(DOCUMENT + " is not stored");
        template = { entries: entries, xml: new TextDecoder().decode(documentEntry.data) };
        root.setAttribute("data-abk-ready", "");
        render();
      })
      .catch(function (error) {
        say(message("failed"));
        if (window.console) console.warn("letter form: " + error.message);
      });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-abk-letter]"), setup);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
