#!/usr/bin/env python3
"""Builds static/vendor/krds from the npm package krds-uiux, and pre-compresses
every text asset under static/ (run by the `vendor` build target).

1. KRDS's component CSS (output.css, ~580 KB) cut to the rules whose classes
   and ids the product can emit: every word of templates/, static/js/ and
   src/ (C code builds some class names) counts as used. A selector list keeps
   the selectors whose every class and id is used (classes inside :not(), :is()
   and the like, and attribute selectors, are ignored, so the cut errs on
   keeping). At-rules are kept, @media/@supports/@layer are cut inside.
2. The fonts: only the weights the CSS uses (Pretendard GOV Regular 400 and
   Bold 700), subset with fontTools' pyftsubset to Latin, punctuation, symbols,
   Hangul jamo and the 2,350 syllables of KS X 1001 (what Korean text uses;
   a rarer syllable falls back to the system font, character by character).
3. Every .css/.js/.svg/.json/.txt/.html/.map under static/ gets a .gz (gzip -9)
   and, when Debian's `brotli` is installed, a .br sibling; the daemon serves
   them by Accept-Encoding (src/web/static.c) when they are not older than the
   file itself.

Work is skipped when its outputs are newer than its inputs. Standard library
only; pyftsubset and brotli are run as commands (scripts/install-deps.sh
installs them).
"""
import gzip
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KRDS = os.path.join(ROOT, "node_modules", "krds-uiux", "resources")
STATIC = os.path.join(ROOT, "static")
OUT = os.path.join(STATIC, "vendor", "krds")
FONT_WEIGHTS = {"Regular": 400, "Bold": 700}
TEXT_EXT = (".css", ".js", ".mjs", ".svg", ".json", ".txt", ".html", ".map")


def newer(out, inputs):
    """True when out exists and is at least as new as every input."""
    if not os.path.exists(out):
        return False
    t = os.path.getmtime(out)
    return all(os.path.getmtime(i) <= t for i in inputs)


def walk(top, exts=None):
    for d, _, files in os.walk(top):
        for f in sorted(files):
            if exts is None or f.endswith(exts):
                yield os.path.join(d, f)


# ---------------------------------------------------------------- CSS cut --

def used_words():
    words = set()
    sources = [os.path.join(ROOT, "templates"), os.path.join(STATIC, "js"),
               os.path.join(ROOT, "src")]
    for top in sources:
        for path in walk(top, (".mustache", ".js", ".c", ".h")):
            with open(path, encoding="utf-8", errors="replace") as f:
                words.update(re.findall(r"[A-Za-z_][A-Za-z0-9_-]*", f.read()))
    return words


def skip_comment_or_string(css, i):
    """If css[i] starts a comment or a string, the index after it; else i."""
    if css.startswith("/*", i):
        j = css.find("*/", i + 2)
        return len(css) if j < 0 else j + 2
    if css[i] in "\"'":
        q = css[i]
        j = i + 1
        while j < len(css) and css[j] != q:
            j += 2 if css[j] == "\\" else 1
        return j + 1
    return i


def matching_brace(css, i):
    """css[i] is '{': the index of its matching '}'."""
    depth = 0
    while i < len(css):
        j = skip_comment_or_string(css, i)
        if j != i:
            i = j
            continue
        if css[i] == "{":
            depth += 1
        elif css[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return len(css) - 1


def split_selectors(prelude):
    out, depth, cur = [], 0, ""
    for ch in prelude:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def selector_used(sel, words):
    s = re.sub(r"\[[^\]]*\]", "", sel)
    while True:  # innermost parentheses first
        t = re.sub(r"\([^()]*\)", "", s)
        if t == s:
            break
        s = t
    names = re.findall(r"[.#](-?[_A-Za-z][\w-]*)", s)
    return all(n in words for n in names)


def cut(css, words):
    out = []
    i = 0
    n = len(css)
    while i < n:
        j = skip_comment_or_string(css, i)
        if j != i and css.startswith("/*", i):
            i = j
            continue
        # a statement: the prelude up to '{' or ';'
        start = i
        while i < n:
            j = skip_comment_or_string(css, i)
            if j != i:
                i = j
                continue
            if css[i] in "{;}":
                break
            i += 1
        if i >= n:
            break
        prelude = re.sub(r"/\*.*?\*/", "", css[start:i], flags=re.S).strip()
        if css[i] == "}":  # stray
            i += 1
            continue
        if css[i] == ";":
            if prelude:
                out.append(prelude + ";")
            i += 1
            continue
        end = matching_brace(css, i)
        body = css[i + 1:end]
        i = end + 1
        if prelude.startswith("@"):
            name = prelude.split()[0].lower()
            if name in ("@media", "@supports", "@layer", "@container"):
                inner = cut(body, words)
                if inner.strip():
                    out.append(prelude + "{" + inner + "}")
            else:
                out.append(prelude + "{" + body + "}")
            continue
        kept = [s for s in split_selectors(prelude) if selector_used(s, words)]
        if kept:
            out.append(",".join(kept) + "{" + body.strip() + "}")
    return "\n".join(out)


def build_css():
    src = os.path.join(KRDS, "css", "component", "output.css")
    dst = os.path.join(OUT, "css", "component", "output.css")
    inputs = [src, __file__] + list(walk(os.path.join(ROOT, "templates"))) + \
        list(walk(os.path.join(STATIC, "js"), (".js",))) + \
        list(walk(os.path.join(ROOT, "src"), (".c", ".h")))
    tokens_src = os.path.join(KRDS, "css", "token", "krds_tokens.css")
    tokens_dst = os.path.join(OUT, "css", "token", "krds_tokens.css")
    os.makedirs(os.path.dirname(tokens_dst), exist_ok=True)
    if not newer(tokens_dst, [tokens_src]):
        shutil.copyfile(tokens_src, tokens_dst)
    if newer(dst, inputs):
        return
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(src, encoding="utf-8") as f:
        css = f.read()
    result = cut(css, used_words())
    with open(dst + ".tmp", "w", encoding="utf-8") as f:
        f.write("/* krds-uiux output.css, cut to the components bizsos uses "
                "(scripts/build_assets.py) */\n")
        f.write(result)
        f.write("\n")
    os.replace(dst + ".tmp", dst)
    print(f"build_assets: KRDS CSS {len(css) // 1024} KB -> {len(result) // 1024} KB")


# ------------------------------------------------------------------ fonts --

def subset_text():
    chars = [chr(c) for c in range(0xAC00, 0xD7A4)
             if len(chr(c).encode("euc_kr")) == 2]  # KS X 1001: 2,350 syllables
    return "".join(chars)


UNICODES = ("U+0020-007E,U+00A0-00FF,U+0131,U+0152-0153,U+02C6,U+02DA,U+02DC,"
            "U+2010-2027,U+2030-205E,U+20A9,U+20AC,U+2100-2122,U+2190-2199,"
            "U+2460-24FF,U+25A0-25FF,U+2605-2606,U+260E,U+3000-303F,U+3131-318E,"
            "U+3200-321E,U+3260-327F,U+FF01-FF5E,U+FFE0-FFE6")


def build_fonts():
    src_dir = os.path.join(KRDS, "fonts")
    dst_dir = os.path.join(OUT, "fonts")
    os.makedirs(dst_dir, exist_ok=True)
    tool = shutil.which("pyftsubset")
    text_file = None
    for name in FONT_WEIGHTS:
        src = os.path.join(src_dir, f"PretendardGOV-{name}.subset.woff2")
        dst = os.path.join(dst_dir, f"PretendardGOV-{name}.woff2")
        if newer(dst, [src, __file__]):
            continue
        if tool is None:
            print("build_assets: pyftsubset (Debian fonttools) is missing: "
                  "fonts copied whole", file=sys.stderr)
            shutil.copyfile(src, dst)
            continue
        if text_file is None:
            text_file = os.path.join(dst_dir, ".subset-chars.txt")
            with open(text_file, "w", encoding="utf-8") as f:
                f.write(subset_text())
        subprocess.run([tool, src, f"--text-file={text_file}", f"--unicodes={UNICODES}",
                        "--flavor=woff2", f"--output-file={dst}.tmp"], check=True)
        os.replace(dst + ".tmp", dst)
        print(f"build_assets: {os.path.basename(dst)} {os.path.getsize(src) // 1024} KB -> "
              f"{os.path.getsize(dst) // 1024} KB")
    if text_file:
        os.remove(text_file)
    wanted = {f"PretendardGOV-{n}.woff2" for n in FONT_WEIGHTS}
    for f in os.listdir(dst_dir):  # what older builds copied whole
        if f not in wanted and not f.endswith(".tmp"):
            os.remove(os.path.join(dst_dir, f))


def copy_images():
    src = os.path.join(KRDS, "img")
    if os.path.isdir(src):
        for path in walk(src):
            dst = os.path.join(OUT, "img", os.path.relpath(path, src))
            if not newer(dst, [path]):
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copyfile(path, dst)


# ------------------------------------------------------------ compression --

def compress_all():
    br = shutil.which("brotli")
    for path in walk(STATIC, TEXT_EXT):
        gz = path + ".gz"
        if not newer(gz, [path]):
            with open(path, "rb") as f:
                data = f.read()
            with open(gz + ".tmp", "wb") as f:
                with gzip.GzipFile(filename="", mode="wb", fileobj=f, compresslevel=9,
                                   mtime=0) as z:
                    z.write(data)
            os.replace(gz + ".tmp", gz)
        if br and not newer(path + ".br", [path]):
            subprocess.run([br, "-f", "-q", "11", "-o", path + ".br.tmp", path], check=True)
            os.replace(path + ".br.tmp", path + ".br")


def main():
    if not os.path.exists(os.path.join(KRDS, "css", "component", "output.css")):
        sys.exit("node_modules/krds-uiux is missing: run `npm ci` first "
                 "(scripts/install-deps.sh does).")
    build_css()
    build_fonts()
    copy_images()
    compress_all()


if __name__ == "__main__":
    main()
