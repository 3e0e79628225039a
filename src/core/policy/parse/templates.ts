/**
 * Template tags left in a policy that was copied from a web application's source: Django, Jinja
 * and Liquid (`{% ... %}`, `{{ ... }}`, `{# ... #}`) and ERB (`<% ... %>`, `<%= ... %>`). The tags
 * are not policy words, but some of them print text that is: `{% trans "Contact us" %}`,
 * `<%= link_to 'our help pages', help_path %>`. Those keep their string; every other tag goes.
 * Printf-style placeholders (`%(domain)s`, `%{domain}`) stay readable as `{domain}`.
 */

/** Django/Jinja tags that print their string argument (`{% trans "x" %}`). */
const PRINTING_TAGS = new Set(['trans', 'translate', 't', '_']);

/**
 * Helpers whose first string argument is the text they print: gettext in its usual spellings,
 * Rails' `t`, and Rails' link and mail helpers (`link_to 'label', path`).
 */
const PRINTING_CALL =
  /^(?:_|__|gettext|ugettext|ngettext|pgettext|t|translate|trans|link_to|mail_to)\s*\(?\s*/;

const STRING = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')/;

/** The literal a tag prints: a bare string (with filters) or the first argument of a printing call. */
function printedString(expression: string): string {
  const e = expression.trim();
  const bare = STRING.exec(e);
  const call = bare ? null : PRINTING_CALL.exec(e);
  const literal = bare ?? (call ? STRING.exec(e.slice(call[0].length)) : null);
  if (!literal) return '';
  const text = (literal[1] ?? literal[2] ?? '').replace(/\\(.)/g, '$1');
  // A Rails translation key ("privacy.title", ".heading") names text stored elsewhere: not words.
  return /^[\w-]*[._][\w.-]*$/.test(text) && !/\s/.test(text) ? '' : text;
}

/**
 * `{% trans "x" %}` prints "x"; other tags print nothing. `{% trans "x" as label %}` stores the
 * string for a later `{{ label }}`, which cannot be resolved here, so the string is kept in place.
 */
function statementTag(body: string): string {
  const m = /^\s*(\w+)\s*(.*?)\s*$/s.exec(body);
  if (!m || !PRINTING_TAGS.has(m[1]!)) return '';
  return printedString(m[2]!);
}

/** Removes template tags, keeping the text that tags print. A document without tags comes back unchanged. */
export function stripTemplateTags(source: string): string {
  if (!/\{[%{#]|<%|%\(\w+\)[sd]|%\{\w+\}/.test(source)) return source;
  return (
    source
      // Comments, with what they enclose.
      .replace(/\{%-?\s*comment\b[^%]*%\}[\s\S]*?\{%-?\s*endcomment\s*-?%\}/g, '')
      .replace(/\{#(?!\w[\w-]*\})[\s\S]{0,2000}?#\}/g, '')
      .replace(/<%#[\s\S]*?%>/g, '')
      // Statements and expressions.
      .replace(/\{%-?([\s\S]*?)-?%\}/g, (_, body: string) => statementTag(body))
      .replace(/\{\{-?([\s\S]*?)-?\}\}/g, (_, body: string) => printedString(body))
      .replace(/<%(==?)?([\s\S]*?)-?%>/g, (_, output: string | undefined, body: string) =>
        output ? printedString(body) : '',
      )
      // Placeholders filled in at run time, kept readable: "privacy@%(domain)s" -> "privacy@{domain}".
      .replace(
        /%\((\w+)\)[sd]|%\{(\w+)\}[sd]?/g,
        (_, a: string | undefined, b: string | undefined) => `{${a ?? b}}`,
      )
  );
}
