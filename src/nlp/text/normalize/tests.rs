use super::*;
use proptest::prelude::*;

fn norm(s: &str) -> String {
    normalize(s).text.into_owned()
}

/// The original text of a normalised span.
fn original<'a>(n: &Normalized, src: &'a str, start: usize, end: usize) -> &'a str {
    n.map.span(Span::new(start, end)).slice(src)
}

#[test]
fn clean_text_is_borrowed_with_the_identity_map() {
    for s in [
        "",
        "Plain ASCII, said Judge Ford.",
        "Israel’s Sa’ar said “no” — twice… 🎉 é ü",
        "a < b and c > d; AT&T and R&D; Q&A",
        "x<y, <3, << >>, <p, <1>",
        "emoji 👨\u{200D}👩\u{200D}👧 family",
    ] {
        let n = normalize(s);
        assert!(matches!(n.text, Cow::Borrowed(_)), "{s:?}");
        assert!(n.map.is_identity());
        assert_eq!(n.found, Found::default(), "{s:?}");
    }
}

#[test]
fn character_references_are_decoded() {
    let cases = [
        ("&#8220;No,&#8221; he said", "“No,” he said"),
        ("Gideon Sa&rsquo;ar", "Gideon Sa’ar"),
        ("Zo&euml; Hart", "Zoë Hart"),
        ("&#x201C;hex&#X201d;", "“hex”"),
        (
            "AT&amp;T &lt;b&gt; &quot;q&quot; &apos;a&apos;",
            "AT&T <b> \"q\" 'a'",
        ),
        ("don&#146;t &#150; &#151; &#133;", "don’t – — …"),
        ("&#0; &#xD800; &#99999999;", "\u{FFFD} \u{FFFD} \u{FFFD}"),
        ("no semicolon &#8220quote", "no semicolon “quote"),
        ("&amp;lt; stays one level", "&lt; stays one level"),
        ("a&nbsp;b&shy;c&#8203;d&ensp;e", "a bcd e"),
        ("&mdash;&ndash;&hellip;&eacute;&Ccaron;", "—–…éČ"),
        ("line&#13;end", "line\nend"),
    ];
    for (input, expected) in cases {
        let n = normalize(input);
        assert_eq!(n.text, expected, "{input:?}");
        assert!(n.found.references > 0);
    }
    for text in ["&unknown; &amp &#; &#x; & ; &", "R&D; Q&A;"] {
        assert_eq!(norm(text), text, "not references: {text:?}");
    }
}

#[test]
fn markup_is_skipped_and_never_read_as_text() {
    let cases = [
        (
            r#"<a href="https://x.org/?q=&quot;ford&quot;" title='said "yes"'>Judge Ford</a> said"#,
            "Judge Ford said",
        ),
        ("<p>One.</p><p>Two.</p>", "One.\nTwo."),
        ("<p>One.</p>\n<p>Two.</p>\n", "One.\nTwo.\n"),
        ("Line<br>break<br/>here<BR />", "Line\nbreak\nhere"),
        (
            "Before <script type=\"x\">var s = \"“quote”\"; if (a<b) {}</script> after",
            "Before  after",
        ),
        (
            "Before <style>p { content: \"“no”\" }</STYLE > after",
            "Before  after",
        ),
        ("A <!-- “hidden”, he said --> B", "A  B"),
        ("A<!--x-->B", "A B"),
        ("Judge <b>Ford</b>'s <i>case</i>", "Judge Ford's case"),
        ("Zo<b>ë</b>", "Zoë"),
        ("<!DOCTYPE html><html><body>Text</body></html>", "Text\n"),
        ("<?xml version=\"1.0\"?>Text", "Text"),
        ("x <img src=\"a.png\" alt=\"a > b\"> y", "x  y"),
        ("x<img src=a.png>y", "x y"),
        (
            "<o:p>Word</o:p> <my-widget data-x=1>w</my-widget>",
            "Word w",
        ),
        ("<td>a</td><td>b</td>", "a b"),
    ];
    for (input, expected) in cases {
        let n = normalize(input);
        assert_eq!(n.text, expected, "{input:?}");
        assert!(n.found.markup > 0, "{input:?}");
    }
    for text in [
        "a < b, c <b, d <= e, 3<4",
        "x<y and y>z",
        "<3 <!- <!x <: </ </1> <unknowntag>",
        "<a href=\"never closed",
        "<!DOCTYPE never closed",
    ] {
        assert_eq!(norm(text), text, "not markup: {text:?}");
    }
}

#[test]
fn unterminated_comments_and_scripts_skip_only_their_opening() {
    assert_eq!(norm("Text <!-- and more"), "Text  and more");
    assert_eq!(norm("Text <script>var x and more"), "Text var x and more");
    assert_eq!(norm("Text <style > p and more"), "Text  p and more");
}

#[test]
fn format_characters_are_removed() {
    let cases = [
        ("Hart\u{200B}ley", "Hartley"),
        ("\u{FEFF}Body", "Body"),
        ("co\u{AD}operate", "cooperate"),
        (
            "\u{200E}Tehran\u{200F} \u{202B}x\u{202C} \u{2066}y\u{2069}",
            "Tehran x y",
        ),
        ("word\u{2060}joiner Sa\u{200D}ar", "wordjoiner Saar"),
    ];
    for (input, expected) in cases {
        let n = normalize(input);
        assert_eq!(n.text, expected, "{input:?}");
        assert!(n.found.format_chars > 0);
    }
    // A zero-width joiner builds emoji sequences, which VADER's emoji lexicon knows.
    assert_eq!(norm("👨\u{200D}👩 \u{200B}"), "👨\u{200D}👩 ");
}

#[test]
fn line_ends_and_spaces() {
    let n = normalize("One.\r\nTwo.\rThree.\r\n\r\nFour.");
    assert_eq!(n.text, "One.\nTwo.\nThree.\n\nFour.");
    assert_eq!(n.found.cr_line_ends, 4);
    let n = normalize("Donald\u{A0}Trump\u{2009}said\u{3000}x\u{202F}y");
    assert_eq!(n.text, "Donald Trump said x y");
    assert_eq!(n.found.spaces, 4);
}

#[test]
fn spans_map_back_to_exactly_what_they_cover() {
    let src = "<p>&#8220;Hi,&#8221; said <a href=\"x\">Zo&euml; Hart\u{200B}ley</a>.</p>\r\n";
    let n = normalize(src);
    assert_eq!(n.text, "“Hi,” said Zoë Hartley.\n");
    let find = |w: &str| {
        let s = n.text.find(w).unwrap();
        original(&n, src, s, s + w.len())
    };
    assert_eq!(find("Zoë"), "Zo&euml;");
    assert_eq!(find("Zoë Hartley"), "Zo&euml; Hart\u{200B}ley");
    assert_eq!(find("Hi,"), "Hi,");
    assert_eq!(find("“Hi,”"), "&#8220;Hi,&#8221;");
    assert_eq!(find("Hartley."), "Hart\u{200B}ley</a>.");
    assert_eq!(find("said"), "said");
    // An empty span stays empty; the end of the text maps to the end of what it came from.
    let e = n.map.span(Span::new(4, 4));
    assert!(e.is_empty());
    assert_eq!(n.map.end(n.text.len()), src.len());
    assert_eq!(n.map.start(0), "<p>".len());
}

#[test]
fn warnings_name_each_kind_once_and_where() {
    let title = normalize("Zo&euml;");
    let body = normalize("<p>A\r\nB\u{200B}</p> &amp; <b>x</b>");
    let w = warnings(&title.found, &body.found);
    let codes: Vec<&str> = w.iter().map(|w| w.split(':').next().unwrap()).collect();
    assert_eq!(
        codes,
        [
            "html_in_body",
            "html_entities_decoded",
            "format_characters_removed",
            "cr_line_ends"
        ]
    );
    assert!(
        w[0].contains("4 pieces") && w[0].contains("in the body"),
        "{}",
        w[0]
    );
    assert!(w[1].contains("2 HTML") && w[1].contains("in the title and the body"));
    assert!(warnings(&Found::default(), &normalize("\u{A0}").found).is_empty());
}

#[test]
fn hostile_inputs_take_linear_work() {
    const MB: usize = 1 << 20;
    let unit = |u: &str| u.repeat(MB / u.len());
    let inputs = [
        unit("&"),
        unit("<"),
        unit("<!--"),
        unit("<!-- -->"),
        unit("<a "),
        unit("<a href=\""),
        unit("<a title='x' "),
        unit("<script>"),
        unit("</script"),
        unit("<style><!--"),
        unit("<b><i><span>"),
        unit("</b></i>"),
        unit("&#"),
        unit("&#x"),
        unit("&#9"),
        unit("&amp"),
        unit("&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        unit("<!DOCTYPE "),
        unit("\r"),
        unit("\u{200B}"),
        unit("\u{A0}"),
        unit("’"),
        format!("<a href=\"{}", "x".repeat(MB)),
        format!("{}-->", "<!--".repeat(MB / 4)),
        format!("<script>{}", "<scrip".repeat(MB / 6)),
    ];
    for text in &inputs {
        let (n, w) = Normalizer::new(text).run();
        assert!(
            w <= 6 * text.len() + 16,
            "{} bytes of {:?}...: {w} bytes looked at",
            text.len(),
            &text[..12.min(text.len())]
        );
        // Every normalised boundary still maps into the original.
        assert!(n.map.end(n.text.len()) <= text.len());
    }
}

/// Pieces a random text is made of: words, references, markup, line ends, format characters.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "Word",
        "Zoë",
        " ",
        " ",
        "\n",
        ".",
        "“",
        "”",
        "’",
        "&amp;",
        "&#8220;",
        "&#x2019;",
        "&euml;",
        "&nbsp;",
        "&bogus;",
        "&",
        "<",
        "< ",
        ">",
        "<b>",
        "</b>",
        "<p>",
        "</p>",
        "<br/>",
        "<!-- c -->",
        "<!--",
        "-->",
        "<script>s<b></script>",
        "<a href=\"x>y\">",
        "\r",
        "\r\n",
        "\u{200B}",
        "\u{AD}",
        "\u{A0}",
        "\u{FEFF}",
        "\u{200D}",
        "🎉",
        "é",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Every normalised position maps to an original char boundary, in order, and a word of
    /// the normalised text is what its original text normalises to.
    #[test]
    fn alignment_round_trips(parts in prop::collection::vec(piece(), 0..60)) {
        let src: String = parts.concat();
        let n = normalize(&src);
        let bounds: Vec<usize> =
            n.text.char_indices().map(|(i, _)| i).chain([n.text.len()]).collect();
        for w in bounds.windows(2) {
            let (s, e) = (n.map.start(w[0]), n.map.end(w[1]));
            prop_assert!(s < e && e <= src.len(), "char at {} maps to {}..{}", w[0], s, e);
            prop_assert!(src.is_char_boundary(s) && src.is_char_boundary(e));
            if w[1] < n.text.len() {
                prop_assert!(n.map.start(w[1]) >= e, "in order at {}", w[1]);
            }
        }
        let mut start = None;
        for (i, c) in n.text.char_indices().chain([(n.text.len(), ' ')]) {
            let word = !c.is_whitespace() && c.is_alphanumeric();
            match (start, word) {
                (None, true) => start = Some(i),
                (Some(s), false) => {
                    let orig = original(&n, &src, s, i);
                    prop_assert_eq!(norm(orig), &n.text[s..i], "{:?} in {:?}", orig, src);
                    start = None;
                }
                _ => {}
            }
        }
    }
}
