//! Unit tests of the quotation stage: mark styles, pairing, cue orders, speakers.
use super::*;
use crate::nlp::analysis::{EntityLabel, Mention};
use crate::nlp::text::Span;

/// Entities for a test text: (name, label, surface forms); every occurrence of a form
/// (longest first, no overlaps) is a mention.
fn ents(text: &str, spec: &[(&'static str, &'static str, &[&str])]) -> Vec<Entity> {
    let mut taken: Vec<Span> = Vec::new();
    let mut mentions = Vec::new();
    for (_, _, forms) in spec {
        let mut ms = Vec::new();
        for f in forms.iter() {
            for (i, m) in text.match_indices(f) {
                let sp = Span {
                    start: i,
                    end: i + m.len(),
                };
                if !taken.iter().any(|t| t.start < sp.end && sp.start < t.end) {
                    taken.push(sp);
                    ms.push(sp);
                }
            }
        }
        ms.sort();
        mentions.push(ms);
    }
    spec.iter()
        .zip(mentions)
        .map(|((name, label, _), ms)| Entity {
            text: name.to_string(),
            label: match *label {
                "PERSON" => EntityLabel::Person,
                "ORG" => EntityLabel::Org,
                "LOC" => EntityLabel::Loc,
                _ => EntityLabel::Misc,
            },
            salience: 0.0,
            sentiment: 0.0,
            mentions: ms
                .into_iter()
                .map(|span| Mention {
                    field: Field::Body,
                    span,
                })
                .collect(),
        })
        .collect()
}

fn run(text: &str, spec: &[(&'static str, &'static str, &[&str])]) -> Vec<Quote> {
    QuoteFinder::new().find(&Doc::new(text), &ents(text, spec))
}

fn spans(text: &str, found: &[Quote]) -> Vec<String> {
    found
        .iter()
        .map(|q| q.span.slice(text).to_string())
        .collect()
}

const SMITH: (&str, &str, &[&str]) = ("John Smith", "PERSON", &["John Smith", "Smith"]);

#[test]
fn every_mark_style() {
    for (text, inner) in [
        ("“We will win,” Smith said.", "We will win,"),
        ("‘We will win,’ Smith said.", "We will win,"),
        ("\"We will win,\" Smith said.", "We will win,"),
        ("'We will win,' Smith said.", "We will win,"),
        ("«We will win», Smith said.", "We will win"),
        ("„We will win“, Smith said.", "We will win"),
        ("''We will win,'' Smith said.", "We will win,"),
        ("``We will win,'' Smith said.", "We will win,"),
    ] {
        let f = run(text, &[SMITH]);
        assert_eq!(spans(text, &f), vec![inner], "{text}");
        assert_eq!(f[0].speaker.as_deref(), Some("John Smith"), "{text}");
        assert_eq!(f[0].cue.as_deref(), Some("said"), "{text}");
        assert_eq!(f[0].kind, QuoteKind::Full, "{text}");
    }
}

#[test]
fn multi_paragraph_quote_is_one_quote_per_paragraph() {
    let text = "Smith said: “The first part.\n\n“The second part goes on.\n\n“The end of it.”\n\nLater news.";
    let f = run(text, &[SMITH]);
    assert_eq!(
        spans(text, &f),
        vec![
            "The first part.",
            "The second part goes on.",
            "The end of it."
        ]
    );
    assert!(f.iter().all(|q| q.speaker.as_deref() == Some("John Smith")));
    // The attribution may also come only in the last paragraph.
    let text = "“The first part of it.\n\n“The end of it,” Smith said.";
    let f = run(text, &[SMITH]);
    assert_eq!(f.len(), 2);
    assert!(f.iter().all(|q| q.speaker.as_deref() == Some("John Smith")));
}

#[test]
fn nested_quote_is_part_of_the_outer_one() {
    let text = "“He told me ‘no way’ and “never” yesterday,” Smith said.";
    let f = run(text, &[SMITH]);
    assert_eq!(
        spans(text, &f),
        vec!["He told me ‘no way’ and “never” yesterday,"]
    );
}

#[test]
fn apostrophes_never_open_or_close() {
    let text = "Israel’s minister Gideon Sa’ar said the ’90s and rock ’n’ roll didn't matter, voters’ views aside. It's 'em.";
    assert!(run(text, &[]).is_empty());
    let text = "“Israel’s right about the ’90s,” Sa’ar said.";
    let f = run(text, &[("Gideon Sa’ar", "PERSON", &["Sa’ar"])]);
    assert_eq!(spans(text, &f), vec!["Israel’s right about the ’90s,"]);
    assert_eq!(f[0].speaker.as_deref(), Some("Gideon Sa’ar"));
}

#[test]
fn unbalanced_mark_stays_in_its_paragraph() {
    let text = "He called it “a disaster and more.\n\nThe next paragraph has “a real quote here,” Smith said.";
    let f = run(text, &[SMITH]);
    assert_eq!(spans(text, &f), vec!["a real quote here,"]);
    let text = "A stray ” closing mark and a stray “ opening one.\n\nNothing else.";
    assert!(run(text, &[]).is_empty());
}

#[test]
fn cue_orders() {
    let cases: &[(&str, &str)] = &[
        ("“We will win,” Smith said.", "said"),
        ("“We will win” Smith said when asked.", "said"),
        (
            "“We will win,” said Smith, a spokesperson for the party.",
            "said",
        ),
        ("Smith said: “We will win.”", "said"),
        ("Smith told reporters that “we will win.”", "told"),
        ("According to Smith, “we will win.”", "according to"),
        (
            "Smith, a spokesperson for the party, stated, “We will win.”",
            "stated",
        ),
    ];
    for (text, cue) in cases {
        let f = run(text, &[SMITH]);
        assert_eq!(f.len(), 1, "{text}");
        assert_eq!(f[0].speaker.as_deref(), Some("John Smith"), "{text}");
        assert_eq!(f[0].speaker_entity, Some(0), "{text}");
        assert_eq!(f[0].cue.as_deref(), Some(*cue), "{text}");
    }
}

#[test]
fn split_quote_shares_its_cue() {
    let text = "“We will win,” Smith said, “and nobody can stop us.” “Believe me, it is true.”";
    let f = run(text, &[SMITH]);
    assert_eq!(f.len(), 3);
    assert!(f.iter().all(|q| q.speaker.as_deref() == Some("John Smith")));
    assert!(f.iter().all(|q| q.kind == QuoteKind::Full));
}

#[test]
fn pronoun_resolves_to_the_recent_person() {
    let text = "Dmitri Peskow spoke on Thursday. Moscow “is ready to do everything” he added.";
    let f = run(
        text,
        &[
            ("Dmitri Peskow", "PERSON", &["Dmitri Peskow", "Peskow"]),
            ("Moscow", "LOC", &["Moscow"]),
        ],
    );
    assert_eq!(f[0].speaker.as_deref(), Some("Dmitri Peskow"));
    assert_eq!(f[0].speaker_entity, Some(0));
    assert_eq!(f[0].cue.as_deref(), Some("added"));
    // `she` skips a recent male name.
    let text = "Hillary Clinton met Donald Trump. “It went well,” she said.";
    let f = run(
        text,
        &[
            ("Hillary Clinton", "PERSON", &["Hillary Clinton"]),
            ("Donald Trump", "PERSON", &["Donald Trump"]),
        ],
    );
    assert_eq!(f[0].speaker.as_deref(), Some("Hillary Clinton"));
}

#[test]
fn surname_resolves_to_the_full_name() {
    let text = "Dmitri Peskow spoke. Later, “we are ready,” Peskow said.";
    let f = run(
        text,
        &[("Dmitri Peskow", "PERSON", &["Dmitri Peskow", "Peskow"])],
    );
    assert_eq!(f[0].speaker.as_deref(), Some("Dmitri Peskow"));
}

#[test]
fn apposition_names_the_speaker() {
    let spec: &[(&'static str, &'static str, &[&str])] = &[
        ("Esmail Baghaei", "PERSON", &["Esmail Baghaei"]),
        (
            "Iranian Foreign Ministry",
            "ORG",
            &["Iranian Foreign Ministry"],
        ),
    ];
    for text in [
        "“This is irrational,” said a spokesperson for the Iranian Foreign Ministry, Esmail Baghaei.",
        "“This is irrational,” said Esmail Baghaei, a spokesperson for the Iranian Foreign Ministry, last week.",
        "A spokesperson for the Iranian Foreign Ministry, Esmail Baghaei, said: “This is irrational.”",
        "Esmail Baghaei, a spokesperson for the Iranian Foreign Ministry, said: “This is irrational.”",
    ] {
        let f = run(text, spec);
        assert_eq!(f[0].speaker.as_deref(), Some("Esmail Baghaei"), "{text}");
        assert_eq!(f[0].speaker_entity, Some(0), "{text}");
    }
}

#[test]
fn next_paragraph_without_cue_keeps_the_speaker() {
    let text = "“We will win,” Smith said.\n\n“And we will keep winning for a long time.”";
    let f = run(text, &[SMITH]);
    assert_eq!(f.len(), 2);
    assert_eq!(f[1].speaker.as_deref(), Some("John Smith"));
    // `X said:` at the end of a paragraph introduces the next one.
    let text = "Smith said in a statement:\n\n“We will win this race.”";
    let f = run(text, &[SMITH]);
    assert_eq!(f[0].speaker.as_deref(), Some("John Smith"));
}

#[test]
fn non_entity_speaker_keeps_the_phrase() {
    let text = "“We are worried about it,” officials said.";
    let f = run(text, &[]);
    assert_eq!(f[0].speaker.as_deref(), Some("officials"));
    assert_eq!(f[0].speaker_entity, None);
    let text = "“We are worried,” said the spokesman in a statement.";
    let f = run(text, &[]);
    assert_eq!(f[0].speaker.as_deref(), Some("the spokesman"));
}

#[test]
fn scare_versus_partial() {
    let text = "US President Trump returned to his “maximum pressure” campaign last month.";
    let f = run(text, &[("Donald Trump", "PERSON", &["Trump"])]);
    assert_eq!(f[0].kind, QuoteKind::Scare);
    assert_eq!(f[0].speaker, None);
    assert_eq!(f[0].cue, None);
    let text = "Smith warned that a “military option” might be on the table.";
    let f = run(text, &[SMITH]);
    assert_eq!(f[0].kind, QuoteKind::Partial);
    assert_eq!(f[0].speaker.as_deref(), Some("John Smith"));
    assert_eq!(f[0].cue.as_deref(), Some("warned"));
}

#[test]
fn finder_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<QuoteFinder>();
}

/// Issue 12, pattern 1: `“…,” he added` after quotations of the superintendent goes to
/// him, not to the victim named in between; but a man introduced as a speaker in between
/// (`Tompkins said …`) takes the pronoun.
#[test]
fn he_added_keeps_the_previous_speaker_over_a_more_recent_name() {
    let spec: &[(&'static str, &'static str, &[&str])] = &[
        ("Mark Hale", "PERSON", &["Mark Hale", "Hale"]),
        ("Kevin Andrews", "PERSON", &["Kevin Andrews"]),
        ("Jimmy Tompkins", "PERSON", &["Jimmy Tompkins", "Tompkins"]),
    ];
    let text = "Superintendent Mark Hale said officers had recovered two guns. “We will find \
                whoever supplied them,” Hale said.\n\nOfficers found the body of Kevin Andrews \
                near the park on Friday.\n\n“Nobody should have to carry those weapons,” he added.";
    let f = run(text, spec);
    assert_eq!(f.len(), 2);
    assert_eq!(f[1].speaker.as_deref(), Some("Mark Hale"));
    assert_eq!(f[1].cue.as_deref(), Some("added"));
    let text = "“We will find whoever supplied them,” Mark Hale said.\n\nJimmy Tompkins said \
                the park is usually full on game days.\n\n“This normally is a fun event,” he said.";
    let f = run(text, spec);
    assert_eq!(f[1].speaker.as_deref(), Some("Jimmy Tompkins"));
}

/// Issue 12, pattern 4: a paragraph opening with a quotation after `She defended her
/// decision.` keeps her as the speaker; so does a second quoted sentence after `she says:`.
#[test]
fn a_quote_after_its_speakers_sentence_keeps_the_speaker() {
    let spec: &[(&'static str, &'static str, &[&str])] = &[
        ("Ann Fox", "PERSON", &["Ann Fox", "Fox"]),
        ("Tom Reed", "PERSON", &["Tom Reed"]),
    ];
    let text = "Mayor Ann Fox closed the pool after Tom Reed left.\n\nShe defended her \
                decision on Monday.\n\n“We had no money left for the pool.”";
    let f = run(text, spec);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].speaker.as_deref(), Some("Ann Fox"));
    assert_eq!(f[0].kind, QuoteKind::Full);
    let text = "Ann Fox runs the shelter. She says: “We are full every night.” “Nobody from \
                the city has called us back.”";
    let f = run(text, spec);
    assert_eq!(f.len(), 2);
    assert!(f.iter().all(|q| q.speaker.as_deref() == Some("Ann Fox")));
}

/// `“…” ― Name`: reader comments and vox pops are signed after a dash.
#[test]
fn a_dash_and_a_name_after_a_quote_sign_it() {
    let text = "“He does not speak for us.” ― Maria Lopez\n\n“Maybe we can build a wall \
                around him.” — Jorge Falcon.\n\n“It is over for all of us.” — then he left.";
    let f = run(text, &[("Maria Lopez", "PERSON", &["Maria Lopez"])]);
    assert_eq!(f.len(), 3);
    assert_eq!(f[0].speaker.as_deref(), Some("Maria Lopez"));
    assert_eq!(f[0].speaker_entity, Some(0));
    assert_eq!(f[0].kind, QuoteKind::Full);
    assert_eq!(f[1].speaker.as_deref(), Some("Jorge Falcon"));
    assert_eq!(f[1].speaker_entity, None);
    assert_ne!(f[2].speaker.as_deref(), Some("then he left"));
}

/// Issue 12, pattern 6: a headline quotation takes the speaker the body gives the same
/// words (case and punctuation aside, possibly a run inside a longer quote); a headline
/// quotation the body does not attribute has no speaker.
#[test]
fn a_headline_quote_is_attributed_only_when_the_body_attributes_its_words() {
    let body = "Mayor Ann Fox spoke on Monday. “The pool is a Money Pit, and we closed it,” \
                Fox said.\n\nThe town returned to its “summer hours” last month.";
    let spec: &[(&'static str, &'static str, &[&str])] =
        &[("Ann Fox", "PERSON", &["Ann Fox", "Fox"])];
    let body_quotes = run(body, spec);
    let title = "Mayor: pool is a ‘money pit’ and ‘Nobody listens’";
    let found = headline::find(&Doc::new(title), body, &body_quotes);
    assert_eq!(spans(title, &found), ["money pit", "Nobody listens"]);
    assert!(found.iter().all(|q| q.field == Field::Title));
    assert_eq!(found[0].speaker.as_deref(), Some("Ann Fox"));
    assert_eq!(found[0].speaker_entity, Some(0));
    assert_eq!(found[0].kind, QuoteKind::Partial);
    assert_eq!(found[1].speaker, None);
    assert_eq!(found[1].kind, QuoteKind::Scare);
    // A scare quote of the body lends no speaker.
    let found = headline::find(
        &Doc::new("Town keeps its ‘summer hours’"),
        body,
        &body_quotes,
    );
    assert_eq!(body_quotes[1].kind, QuoteKind::Scare);
    assert_eq!(found[0].speaker, None);
}

/// A headline-style line led by a name and a colon names the speaker of its quotations; a
/// place before the colon is a dateline and names nobody.
#[test]
fn a_name_and_a_colon_leading_a_line_name_its_speaker() {
    let text = "Pence: Flowers Won’t Be at Debate, Trump Was ‘Mocking’ Clinton Camp.\n\n\
                Obama on Climate Change: The Trends Are ‘Terrifying.’\n\n\
                Kabul: Residents Fear ‘Another Winter’ Without Power.";
    let f = run(
        text,
        &[
            ("Mike Pence", "PERSON", &["Pence"]),
            ("Barack Obama", "PERSON", &["Obama"]),
            ("Kabul", "LOC", &["Kabul"]),
        ],
    );
    assert_eq!(
        spans(text, &f),
        ["Mocking", "Terrifying.", "Another Winter"]
    );
    assert_eq!(f[0].speaker.as_deref(), Some("Mike Pence"));
    assert_eq!(f[0].kind, QuoteKind::Partial);
    assert_eq!(f[1].speaker.as_deref(), Some("Barack Obama"));
    assert_eq!(f[2].speaker, None);
    assert_eq!(f[2].kind, QuoteKind::Scare);
}

/// Verbs that characterise what someone said (condemned … as, likened … to, cited, rated …
/// as) attribute the quoted words to their subject.
#[test]
fn characterising_verbs_attribute_the_quoted_words() {
    let text = "Obama condemned the test as “provocative and destabilizing.”\n\n\
                Smith likened the rules to “burning the Constitution.”";
    let f = run(text, &[("Barack Obama", "PERSON", &["Obama"]), SMITH]);
    assert_eq!(f[0].speaker.as_deref(), Some("Barack Obama"));
    assert_eq!(f[0].cue.as_deref(), Some("condemned"));
    assert_eq!(f[1].speaker.as_deref(), Some("John Smith"));
    assert_eq!(f[1].cue.as_deref(), Some("likened"));
}

/// A transcript: each quoted paragraph opens with its speaker's label in capitals, which
/// names the speaker (the label's entity when there is one); `Q:` and a colon further into
/// the quotation name nobody.
#[test]
fn a_transcript_label_names_the_speaker() {
    let text = "Partial transcript:\n\n\"WALLACE: Why would Trump do that?\n\n\
                \"PENCE: Well, look, this is serious business.\n\n\
                \"Q: Will you run again in four years from now?\" the host asked.\n\n\
                \"The plan is simple: we build it,\" Pence said.";
    let f = run(text, &[("Mike Pence", "PERSON", &["PENCE", "Pence"])]);
    assert_eq!(f.len(), 4);
    assert_eq!(f[0].speaker.as_deref(), Some("WALLACE"));
    assert_eq!(f[0].speaker_entity, None);
    assert_eq!(f[0].kind, QuoteKind::Full);
    assert_eq!(f[1].speaker.as_deref(), Some("Mike Pence"));
    assert_eq!(f[1].speaker_entity, Some(0));
    assert_eq!(f[2].speaker.as_deref(), Some("the host"));
    assert_eq!(f[3].speaker.as_deref(), Some("Mike Pence"));
}

/// Issue 12, pattern 5: a subhead in quote marks alone on its line, a stage direction of a
/// transcript and the Title Case name of a show after its network's possessive are nobody's
/// words; `It’s ‘in Their Heads’` is a contraction, not a possessive.
#[test]
fn subheads_stage_directions_and_show_names_are_not_speech() {
    let text = "“I am skeptical he can pull it off,” Smith said.\n\n\
                ‘Legend in the Coal Fields.’\n\n\
                The mine closed in April.\n\n\
                \"WALLACE: Why would Trump do that?\n\n\"(CROSSTALK.)\n\n\
                \"SMITH: Well, look.\"\n\n\
                Smith said on CNN’s “State of the Union” that he would stay.\n\n\
                Smith: Voters Are Worried; It’s ‘in Their Heads.’";
    let f = run(text, &[SMITH]);
    let got: Vec<(&str, QuoteKind)> = f.iter().map(|q| (q.span.slice(text), q.kind)).collect();
    assert_eq!(got[1], ("Legend in the Coal Fields.", QuoteKind::Scare));
    assert_eq!(got[3], ("(CROSSTALK.)", QuoteKind::Scare));
    assert_eq!(f[3].speaker, None);
    assert_eq!(f[4].speaker.as_deref(), Some("SMITH"));
    assert_eq!(got[5], ("State of the Union", QuoteKind::Scare));
    assert_eq!(got[6].0, "in Their Heads.");
    assert_eq!(f[6].speaker.as_deref(), Some("John Smith"));
}
