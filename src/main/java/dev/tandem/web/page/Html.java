package dev.tandem.web.page;

/**
 * HTML escaping for text and attribute values. Everything the page prints from the catalog (host names, data
 * directories, history descriptions) is operator input and goes through here; quotes are escaped too, so the same
 * call is safe inside a double- or single-quoted attribute.
 */
final class Html {

    private Html() {
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
