//! What a browser shows of a page, as far as it changes what a table cell says.
//!
//! A cell, a row or a span inside a cell can be hidden (`style="display:none"`, `visibility:
//! hidden`, the `hidden` attribute, `<template>`, a class rule of the page's `<style>`), a digit
//! can be raised (`<sup>`, `vertical-align:super`) or struck through (`<s>`, `<del>`,
//! `text-decoration:line-through`), and a style rule can add text before or after an element
//! (`::before{content:"1"}`). Reading the source as it is written turns each of these into
//! another number than the one shown: `7<span style="display:none">9</span>7` is no 797,
//! `12<sup>1</sup>` no 121, a hidden `<td>` shifts the cells after it.
//!
//! [`Shown::of`] decides, once per page, for every element: removed (not laid out: the grid does
//! not hold it), invisible (laid out, its text not shown), its look ([`RunLook`]: raised, struck,
//! like Word's runs) and, where a rule's reach cannot be told (a selector the matcher does not
//! know, a rule under `@media (max-width…)`, rules of equal rank that disagree), a doubt: a cell
//! in doubt is refused at its cell, a row or a table in doubt is refused whole. Nothing is
//! guessed. Style sheets linked from other files are not seen.

use crate::run_look::{Raised, RunLook};
use ego_tree::NodeId;
use rustc_hash::FxHashMap;
use scraper::{ElementRef, Selector};

/// At most this many comparisons of a style rule with an element per page (as for borders);
/// beyond, every table of the page is in doubt.
const MAX_MATCHES: usize = 5_000_000;
/// At most this many ancestors walked, counted as the rules whose selectors look at ancestors or
/// siblings (`span.a i`, `p ~ i`) times the sum of every element's depth: 50 such rules over
/// 97,000 elements 990 deep took 38 s. The same bound holds for rules that count siblings, as
/// their number times the elements times the most siblings of one parent (`i:nth-last-child(2)`
/// over 95,000 sibling `<i>` took 14 s).
const MAX_WALK: u64 = 50_000_000;

/// How one element is shown.
#[derive(Clone, Copy, Default)]
pub(crate) struct State {
    /// Not laid out (`display:none`, `hidden`, `<template>`, …), nor anything inside it.
    pub removed: bool,
    /// Laid out, but its text is not shown (`visibility:hidden`, `font-size:0`, `opacity:0`).
    pub invisible: bool,
    /// `visibility` resolved to hidden here or above (a child's `visible` shows text again).
    vis_hidden: bool,
    /// `font-size` resolved to zero here or above (a child's absolute size shows text again).
    font_zero: bool,
    /// `opacity:0` here or above (nothing inside can undo it).
    faded: bool,
    /// `color: transparent` here or above (a child's own colour shows text again).
    clear: bool,
    /// White text (`color:#fff`, `<font color=white>`) here or above.
    white: bool,
    /// A background painted here or above (`bgcolor`, `background-color`), on which white
    /// text shows.
    painted: bool,
    /// A `<col>` or `<colgroup>` hidden with `visibility:collapse` (its column takes no place).
    pub collapsed_column: bool,
    /// Raised or struck through (inherited by what is inside).
    pub look: RunLook,
    /// Why what this element shows cannot be told (an index into [`Shown::doubts`]).
    pub doubt: Option<usize>,
}

/// Every element's [`State`], and why some cannot be told.
pub(crate) struct Shown {
    states: FxHashMap<NodeId, State>,
    doubts: Vec<Doubt>,
}

/// Why what an element shows cannot be told.
#[derive(Clone)]
pub(crate) struct Doubt {
    pub zh: String,
    pub en: String,
    /// Whether the element may not be laid out at all (a cell or row that may take no place,
    /// shifting the cells after it), not only its text changed.
    pub layout: bool,
}

impl Shown {
    /// The state of the element `id` (shown as written when unknown).
    pub(crate) fn state(&self, id: NodeId) -> State {
        self.states.get(&id).copied().unwrap_or_default()
    }

    /// Why the element's showing cannot be told, in Chinese and English.
    pub(crate) fn doubt(&self, id: NodeId) -> Option<&Doubt> {
        self.state(id).doubt.and_then(|i| self.doubts.get(i))
    }

    /// Decides how every element under `root` is shown, from the page's `<style>` rules and
    /// each element's own tag, attributes and `style`.
    pub(crate) fn of(root: ElementRef<'_>) -> Shown {
        let mut css = String::new();
        let mut rules = Vec::new();
        for e in root.descendent_elements().filter(|e| e.value().name() == "style") {
            // `<style media="print">` is no style of the screen; `media="(max-width…)"` one of
            // some windows only.
            let conditional = match e.value().attr("media").map(media_applies) {
                Some(Some(false)) => continue,
                Some(None) => true,
                _ => false,
            };
            css.clear();
            for t in e.text() {
                css.push_str(t);
            }
            parse_sheet(&strip_comments(&css), conditional, 0, &mut rules);
        }
        let mut shown = Shown {
            states: FxHashMap::default(),
            doubts: Vec::new(),
        };
        // Only declarations that can change what a cell shows are matched against the page: a
        // font size matters only where some text is sized 0, a colour where one is transparent;
        // `text-decoration:none` never removes a line-through from above. Pages of the usual
        // portal style sheets (font sizes, widths, link decorations) match next to nothing.
        let declared = |f: &dyn Fn(&Effect) -> bool| {
            rules
                .iter()
                .any(|r| r.decls.iter().any(|d| d.effect(false).is_some_and(|e| f(&e))))
                || root.descendent_elements().any(|e| {
                    e.value().attr("style").is_some_and(|st| {
                        parse_declarations(&strip_comments(st))
                            .iter()
                            .any(|d| d.effect(false).is_some_and(|e| f(&e)))
                    })
                })
        };
        let zero_font = declared(&|e| matches!(e, Effect::FontSize(Size::Zero)));
        let clear = declared(&|e| matches!(e, Effect::Color(Tone::Clear)));
        let white = declared(&|e| matches!(e, Effect::Color(Tone::White)))
            || root
                .descendent_elements()
                .any(|e| e.value().name() == "font" && e.value().attr("color").is_some_and(|c| tone(c) == Tone::White));
        for rule in &mut rules {
            let pseudo = rule.pseudo;
            rule.decls.retain(|d| match d.effect(pseudo) {
                Some(Effect::FontSize(_)) => zero_font,
                Some(Effect::Color(_)) => clear || white,
                Some(Effect::Painted(_)) => white,
                Some(
                    Effect::Strike(false) | Effect::Displace(false) | Effect::Overflow(false) | Effect::ZeroSize(false),
                ) => false,
                Some(_) => true,
                None => false,
            });
        }
        rules.retain(|r| !r.decls.is_empty());
        // Each element's declarations from the style sheet, in the sheet's order.
        let mut matched: FxHashMap<NodeId, Vec<(usize, &Decl)>> = FxHashMap::default();
        // Elements the page's rules reach in a way that cannot be told, with the reason.
        let mut doubted: FxHashMap<NodeId, usize> = FxHashMap::default();
        let mut page_doubt: Option<usize> = None;
        // Elements a conditional rule may show again (`@media (max-width…) { .x { display:
        // block } }`), and a rule of unknown reach that only shows: they matter only where
        // something is hidden.
        let mut may_show: FxHashMap<NodeId, usize> = FxHashMap::default();
        let mut page_may_show: Option<usize> = None;
        let elements = root.descendent_elements().count();
        let depths: u64 = {
            use ego_tree::iter::Edge;
            let (mut depth, mut sum) = (0u64, 0u64);
            for edge in root.traverse() {
                match edge {
                    Edge::Open(n) if n.value().is_element() => {
                        depth += 1;
                        sum += depth;
                    }
                    Edge::Close(n) if n.value().is_element() => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
            sum
        };
        let walking = rules.iter().filter(|r| r.walks).count() as u64;
        // `:nth-child()`, `:last-of-type` and their kin count siblings at every match.
        let counting = rules.iter().filter(|r| r.counts).count() as u64;
        let siblings = root
            .descendent_elements()
            .map(|e| e.child_elements().count() as u64)
            .max()
            .unwrap_or(0);
        if rules.len().saturating_mul(elements) > MAX_MATCHES
            || walking.saturating_mul(depths) > MAX_WALK
            || counting.saturating_mul(elements as u64).saturating_mul(siblings) > MAX_WALK
        {
            shown.doubts.push(Doubt {
                zh: format!(
                    "网页样式表的规则过多（{} 条），无法在页面上逐一判断其作用范围",
                    rules.len()
                ),
                en: format!(
                    "the page has too many style rules ({}) to tell what each reaches",
                    rules.len()
                ),
                layout: true,
            });
            page_doubt = Some(0);
            rules.clear();
        }
        for (order, rule) in rules.iter().enumerate() {
            let relevant: Vec<&Decl> = rule.decls.iter().filter(|d| d.effect(rule.pseudo).is_some()).collect();
            if relevant.is_empty() {
                continue;
            }
            let why = |shown: &mut Shown, zh: String, en: String, layout: bool| {
                shown.doubts.push(Doubt { zh, en, layout });
                shown.doubts.len() - 1
            };
            // A rule that only shows (`display:block`, `visibility:visible`) changes nothing
            // that is not hidden: a responsive page's `td{display:block}` for phones is no doubt.
            let hides = rule.pseudo || relevant.iter().any(|d| d.effect(false).is_some_and(|e| e.hides()));
            let Some(selector) = &rule.selector else {
                // A rule that may reach any element: every table of the page is in doubt.
                let slot = if hides { &mut page_doubt } else { &mut page_may_show };
                if slot.is_none() {
                    *slot = Some(why(
                        &mut shown,
                        format!(
                            "网页样式表的规则“{}”可能隐藏或改变任何内容，其作用范围无法判断",
                            rule.text
                        ),
                        format!(
                            "the page's style rule “{}” may hide or change anything, and what it reaches cannot be told",
                            rule.text
                        ),
                        true,
                    ));
                }
                continue;
            };
            let reason = if rule.pseudo {
                Some(why(
                    &mut shown,
                    format!("网页样式表的规则“{}”在其前后加入文字", rule.text),
                    format!("the page's style rule “{}” adds text before or after it", rule.text),
                    false,
                ))
            } else if rule.conditional {
                Some(why(
                    &mut shown,
                    format!(
                        "网页样式表的规则“{}”是否生效取决于窗口或设备（@media、@supports）",
                        rule.text
                    ),
                    format!(
                        "whether the page's style rule “{}” applies depends on the window or device (@media, @supports)",
                        rule.text
                    ),
                    true,
                ))
            } else {
                None
            };
            for e in root.descendent_elements().filter(|e| selector.matches(e)) {
                match reason {
                    Some(r) if !hides => {
                        may_show.entry(e.id()).or_insert(r);
                    }
                    Some(r) => {
                        doubted.entry(e.id()).or_insert(r);
                    }
                    None => matched
                        .entry(e.id())
                        .or_default()
                        .extend(relevant.iter().map(|d| (order, *d))),
                }
            }
        }
        for e in root.descendent_elements() {
            let parent_state = e
                .parent()
                .and_then(ElementRef::wrap)
                .map(|p| shown.states.get(&p.id()).copied().unwrap_or_default())
                .unwrap_or_default();
            let mut s = parent_state;
            if s.removed {
                shown.states.insert(e.id(), s);
                continue;
            }
            let inline: Vec<Decl> = e
                .value()
                .attr("style")
                .map(|st| parse_declarations(&strip_comments(st)))
                .unwrap_or_default();
            let sheet = matched.get(&e.id()).map(Vec::as_slice).unwrap_or_default();
            let resolve = |kind: Kind| -> Resolved {
                let mut best: Option<(bool, bool, Effect)> = None;
                let mut tied: Vec<Effect> = Vec::new();
                let candidates = sheet
                    .iter()
                    .map(|(_, d)| (*d, false))
                    .chain(inline.iter().map(|d| (d, true)))
                    .filter_map(|(d, inl)| {
                        d.effect(false)
                            .filter(|f| f.kind() == kind)
                            .map(|f| (d.important, inl, f))
                    });
                for (important, inl, f) in candidates {
                    let rank = (important, inl);
                    match best {
                        Some((bi, bl, _)) if (bi, bl) > rank => {}
                        Some((bi, bl, _)) if (bi, bl) == rank => {
                            best = Some((important, inl, f));
                            // Sheet rules of one rank are ordered by specificity, which is not
                            // computed: rules that disagree are in doubt. Inline ones: the last.
                            if !inl {
                                tied.push(f);
                            }
                        }
                        _ => {
                            best = Some((important, inl, f));
                            tied = if inl { Vec::new() } else { vec![f] };
                        }
                    }
                }
                match best {
                    None => Resolved::None,
                    Some((_, false, f)) if tied.iter().any(|t| !t.same_as(&f)) => Resolved::Doubt,
                    Some((_, _, f)) => Resolved::Is(f),
                }
            };
            let name = e.value().name();
            let attr = |a: &str| e.value().attr(a).is_some();
            let mut doubt = doubted.get(&e.id()).copied();
            let mut ties = false;
            // Not laid out: by tag, by the `hidden` attribute (which an author `display` overrides).
            let by_tag = matches!(
                name,
                "script" | "style" | "noscript" | "template" | "head" | "rt" | "rp" | "title" | "datalist"
            ) || (name == "dialog" && !attr("open"));
            let display = resolve(Kind::Display);
            s.removed = by_tag
                || match display {
                    Resolved::Is(Effect::Display(none)) => none,
                    Resolved::Doubt => {
                        ties = true;
                        attr("hidden")
                    }
                    _ => attr("hidden"),
                };
            // The contents of a closed <details> other than its summary.
            if let Some(p) = e.parent().and_then(ElementRef::wrap)
                && p.value().name() == "details"
                && p.value().attr("open").is_none()
                && !(name == "summary"
                    && p.child_elements()
                        .find(|c| c.value().name() == "summary")
                        .map(|c| c.id())
                        == Some(e.id()))
            {
                s.removed = true;
            }
            match resolve(Kind::Visibility) {
                Resolved::Is(Effect::Visibility(hidden, collapse)) => {
                    s.vis_hidden = hidden;
                    if collapse && matches!(name, "tr" | "tbody" | "thead" | "tfoot") {
                        s.removed = true;
                    }
                    s.collapsed_column = collapse && matches!(name, "col" | "colgroup");
                }
                Resolved::Doubt => ties = true,
                _ => {}
            }
            match resolve(Kind::FontSize) {
                Resolved::Is(Effect::FontSize(size)) => match size {
                    Size::Zero => s.font_zero = true,
                    Size::Absolute => s.font_zero = false,
                    // Relative to the parent's: zero stays zero.
                    Size::Relative => {}
                },
                Resolved::Doubt => ties |= parent_state.font_zero,
                _ => {}
            }
            match resolve(Kind::Opacity) {
                Resolved::Is(Effect::Opacity(true)) => s.faded = true,
                Resolved::Doubt => ties = true,
                _ => {}
            }
            match resolve(Kind::Raise) {
                Resolved::Is(Effect::Raise(r)) => s.look.raised = r.or(s.look.raised),
                Resolved::Doubt => ties = true,
                _ => {
                    if name == "sup" {
                        s.look.raised = Some(Raised::Superscript);
                    } else if name == "sub" {
                        s.look.raised = Some(Raised::Subscript);
                    }
                }
            }
            match resolve(Kind::Strike) {
                Resolved::Is(Effect::Strike(true)) => s.look.struck = true,
                Resolved::Doubt => ties = true,
                _ => {}
            }
            if matches!(name, "s" | "strike" | "del") {
                s.look.struck = true;
            }
            let mut color = |t: Tone| {
                s.clear = t == Tone::Clear;
                s.white = t == Tone::White;
            };
            match resolve(Kind::Color) {
                Resolved::Is(Effect::Color(t)) => color(t),
                Resolved::Doubt => ties = true,
                _ => {
                    if name == "font"
                        && let Some(c) = e.value().attr("color")
                    {
                        color(tone(c));
                    }
                }
            }
            match resolve(Kind::Painted) {
                Resolved::Is(Effect::Painted(p)) => s.painted |= p,
                Resolved::Doubt => ties = true,
                _ => {}
            }
            if e.value().attr("bgcolor").is_some_and(|c| tone(c) == Tone::Other) {
                s.painted = true;
            }
            // White text on no background of the page's own shows nothing on a white page.
            if s.white && !s.painted && !parent_state.white && doubt.is_none() {
                shown.doubts.push(Doubt {
                    zh: "文字为白色，而网页未给它设置底色，在白色页面上看不见".into(),
                    en: "its text is white on no background of the page's own, unseen on a white page".into(),
                    layout: false,
                });
                doubt = Some(shown.doubts.len() - 1);
            }
            // Text moved out of its place (`position:absolute`, `text-indent:-9999px`, `clip`,
            // `transform`) or written in reverse (`<bdo dir=rtl>`, `unicode-bidi:bidi-override`):
            // what the cell shows cannot be told.
            let all = || {
                sheet
                    .iter()
                    .map(|(_, d)| *d)
                    .chain(inline.iter())
                    .filter_map(|d| d.effect(false))
            };
            let displaced = all().any(|f| matches!(f, Effect::Displace(true)))
                || all().any(|f| matches!(f, Effect::Overflow(true)))
                    && all().any(|f| matches!(f, Effect::ZeroSize(true)));
            let reversed = name == "bdo" && e.value().attr("dir").is_some_and(|d| d.eq_ignore_ascii_case("rtl"));
            if (displaced || reversed) && doubt.is_none() {
                shown.doubts.push(Doubt {
                    zh: if reversed {
                        "文字被强制按从右到左的顺序显示（bdo、unicode-bidi）".into()
                    } else {
                        "文字被样式移出原位（position、text-indent、clip、transform 或 unicode-bidi）".into()
                    },
                    en: if reversed {
                        "its text is forced to show right to left (bdo, unicode-bidi)".into()
                    } else {
                        "a style moves its text out of place (position, text-indent, clip, transform or unicode-bidi)"
                            .into()
                    },
                    layout: false,
                });
                doubt = Some(shown.doubts.len() - 1);
            }
            if ties && doubt.is_none() {
                shown.doubts.push(Doubt {
                    zh: "网页样式表有多条规则对其显示方式作出不同规定（未计算其优先级）".into(),
                    en: "several of the page's style rules disagree about how it is shown (their precedence is not computed)".into(),
                    layout: true,
                });
                doubt = Some(shown.doubts.len() - 1);
            }
            s.invisible = s.vis_hidden || s.font_zero || s.faded || s.clear;
            if s.removed || s.invisible {
                doubt = doubt.or(may_show.get(&e.id()).copied()).or(page_may_show);
            }
            s.doubt = doubt
                .or(parent_state.doubt)
                .or(if name == "table" { page_doubt } else { None });
            shown.states.insert(e.id(), s);
        }
        shown
    }
}

enum Resolved {
    None,
    Is(Effect),
    Doubt,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Display,
    Visibility,
    FontSize,
    Opacity,
    Raise,
    Strike,
    Content,
    Color,
    Painted,
    Displace,
    Overflow,
    ZeroSize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Size {
    Zero,
    Absolute,
    Relative,
}

/// What a declaration does to the shown text, where it matters.
#[derive(Clone, Copy)]
enum Effect {
    /// `display`: whether `none`.
    Display(bool),
    /// `visibility`: hidden, and whether `collapse`.
    Visibility(bool, bool),
    FontSize(Size),
    /// `opacity`: whether zero.
    Opacity(bool),
    Raise(Option<Raised>),
    /// `text-decoration`: whether line-through.
    Strike(bool),
    /// `color`.
    Color(Tone),
    /// `background`, `background-color`: whether a colour other than white is painted.
    Painted(bool),
    /// Whether the text is moved out of its place or reordered.
    Displace(bool),
    /// `overflow`: whether what overflows is cut off.
    Overflow(bool),
    /// `width`, `height` and their maxima: whether zero.
    ZeroSize(bool),
    /// `content` of `::before`/`::after`: text added.
    Content,
}

impl Effect {
    fn kind(&self) -> Kind {
        match self {
            Effect::Display(_) => Kind::Display,
            Effect::Visibility(..) => Kind::Visibility,
            Effect::FontSize(_) => Kind::FontSize,
            Effect::Opacity(_) => Kind::Opacity,
            Effect::Raise(_) => Kind::Raise,
            Effect::Strike(_) => Kind::Strike,
            Effect::Color(_) => Kind::Color,
            Effect::Painted(_) => Kind::Painted,
            Effect::Displace(_) => Kind::Displace,
            Effect::Overflow(_) => Kind::Overflow,
            Effect::ZeroSize(_) => Kind::ZeroSize,
            Effect::Content => Kind::Content,
        }
    }

    /// Whether the declaration can hide text, or change it, rather than show it.
    fn hides(&self) -> bool {
        match self {
            Effect::Display(none) => *none,
            Effect::Visibility(hidden, _) => *hidden,
            Effect::FontSize(size) => *size == Size::Zero,
            Effect::Opacity(zero) => *zero,
            Effect::Color(tone) => *tone != Tone::Other,
            Effect::Displace(d) | Effect::Overflow(d) | Effect::ZeroSize(d) => *d,
            Effect::Content => true,
            Effect::Raise(_) | Effect::Strike(_) | Effect::Painted(_) => false,
        }
    }

    /// Whether two declarations of one property show the text alike.
    fn same_as(&self, other: &Effect) -> bool {
        match (self, other) {
            (Effect::Display(a), Effect::Display(b)) | (Effect::Opacity(a), Effect::Opacity(b)) => a == b,
            (Effect::Strike(a), Effect::Strike(b))
            | (Effect::Painted(a), Effect::Painted(b))
            | (Effect::Displace(a), Effect::Displace(b))
            | (Effect::Overflow(a), Effect::Overflow(b))
            | (Effect::ZeroSize(a), Effect::ZeroSize(b)) => a == b,
            (Effect::Visibility(a, x), Effect::Visibility(b, y)) => (a, x) == (b, y),
            (Effect::FontSize(a), Effect::FontSize(b)) => a == b,
            (Effect::Color(a), Effect::Color(b)) => a == b,
            (Effect::Raise(a), Effect::Raise(b)) => a.is_some() == b.is_some(),
            _ => false,
        }
    }
}

/// One declaration of a rule or a `style` attribute.
#[derive(Debug)]
pub(crate) struct Decl {
    prop: String,
    value: String,
    important: bool,
}

impl Decl {
    /// What the declaration does to the shown text, if anything (`pseudo`: in a rule for
    /// `::before` or `::after`, where only `content` matters).
    fn effect(&self, pseudo: bool) -> Option<Effect> {
        let v = self.value.as_str();
        if pseudo {
            return (self.prop == "content" && !matches!(v, "none" | "normal" | "\"\"" | "''"))
                .then_some(Effect::Content);
        }
        Some(match self.prop.as_str() {
            "display" => Effect::Display(v == "none"),
            "visibility" => Effect::Visibility(matches!(v, "hidden" | "collapse"), v == "collapse"),
            "font-size" => Effect::FontSize(size_of(v)),
            // The shorthand's size is the token before an optional `/line-height`.
            "font" => Effect::FontSize(
                v.split_whitespace()
                    .map(|t| t.split('/').next().unwrap_or(t))
                    .map(size_of)
                    .find(|s| *s != Size::Relative)
                    .unwrap_or(Size::Relative),
            ),
            "opacity" => Effect::Opacity(v.trim_end_matches('%').parse::<f64>().is_ok_and(|x| x == 0.0)),
            "vertical-align" => Effect::Raise(match v {
                "super" | "text-top" | "top" => Some(Raised::Superscript),
                "sub" | "text-bottom" | "bottom" => Some(Raised::Subscript),
                _ => None,
            }),
            "text-decoration" | "text-decoration-line" => Effect::Strike(v.contains("line-through")),
            "color" => Effect::Color(tone(v)),
            "background" | "background-color" => {
                Effect::Painted(!matches!(v, "none" | "initial" | "inherit") && tone(v) == Tone::Other)
            }
            "position" => Effect::Displace(matches!(v, "absolute" | "fixed")),
            // A hanging indent (`text-indent:-21pt`, Word's lists) stays in the cell; text sent
            // 200 pixels or more to the left is out of sight.
            "text-indent" => Effect::Displace(pixels(v).is_some_and(|px| px <= -200.0)),
            "clip" | "clip-path" => Effect::Displace(!matches!(v, "auto" | "none")),
            "transform" => Effect::Displace(v != "none"),
            "unicode-bidi" => Effect::Displace(v.contains("override")),
            "content-visibility" => Effect::Displace(v == "hidden"),
            "overflow" | "overflow-x" | "overflow-y" => {
                Effect::Overflow(v.split(' ').any(|w| matches!(w, "hidden" | "clip")))
            }
            "width" | "height" | "max-width" | "max-height" => Effect::ZeroSize(pixels(v).is_some_and(|px| px <= 0.0)),
            _ => return None,
        })
    }
}

/// How a colour shows text on a white page.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tone {
    /// Not at all (`transparent`, an alpha of 0).
    Clear,
    /// White.
    White,
    Other,
}

fn tone(v: &str) -> Tone {
    let c = v.to_ascii_lowercase().replace(' ', "");
    if c == "transparent" || c.starts_with("rgb") && (c.ends_with(",0)") || c.ends_with("/0)")) {
        return Tone::Clear;
    }
    if matches!(
        c.as_str(),
        "white" | "#fff" | "#ffffff" | "#ffff" | "#ffffffff" | "rgb(255,255,255)" | "rgba(255,255,255,1)"
    ) {
        return Tone::White;
    }
    Tone::Other
}

/// A length in CSS pixels, roughly (`-9999px`, `-20em`); none for a percentage or a keyword.
fn pixels(v: &str) -> Option<f64> {
    let end = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(v.len());
    let x: f64 = v[..end].parse().ok()?;
    let per = match &v[end..] {
        "" | "px" => 1.0,
        "pt" => 4.0 / 3.0,
        "pc" => 16.0,
        "em" | "rem" | "ch" | "ex" => 16.0,
        "cm" => 37.8,
        "mm" => 3.78,
        "in" => 96.0,
        "vw" | "vh" => 10.0,
        _ => return None,
    };
    Some(x * per)
}

/// A font size: zero (`0`, `0px`, `0em`, `0%`), absolute (`12px`, `medium`, `1rem`) or relative
/// to the parent's (`1.2em`, `120%`, `larger`).
fn size_of(v: &str) -> Size {
    let num_end = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(v.len());
    let (num, unit) = v.split_at(num_end);
    if let Ok(x) = num.parse::<f64>() {
        if x <= 0.0 {
            return Size::Zero;
        }
        return match unit {
            "em" | "ex" | "%" | "ch" | "cap" | "ic" | "lh" => Size::Relative,
            _ => Size::Absolute,
        };
    }
    match v {
        "xx-small" | "x-small" | "small" | "medium" | "large" | "x-large" | "xx-large" | "xxx-large" => Size::Absolute,
        _ => Size::Relative,
    }
}

/// A rule of the page's style sheet: its selector (none when it cannot be evaluated), whether it
/// is for `::before`/`::after`, whether it applies only under a condition, its declarations.
struct Rule {
    text: String,
    /// Whether the selector looks at ancestors or earlier siblings (a descendant or sibling
    /// combinator), which costs a walk up the tree for each element.
    walks: bool,
    /// Whether the selector counts siblings (`:nth-child()`, `:last-of-type`, …).
    counts: bool,
    selector: Option<Selector>,
    pseudo: bool,
    conditional: bool,
    decls: Vec<Decl>,
}

/// The text of a style sheet without its comments (`/* … */`, and the `<!--`/`-->` a sheet may
/// be wrapped in).
pub(crate) fn strip_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        out.push(' ');
        rest = rest[i + 2..].find("*/").map_or("", |j| &rest[i + 2 + j + 2..]);
    }
    out.push_str(rest);
    // `<!--` and `-->` around a style sheet are allowed and mean nothing.
    out.replace("<!--", " ").replace("-->", " ")
}

/// The end of the text starting at `from` up to (not including) the first of `stops` outside
/// strings, brackets and parentheses, with that stop; or the end of the text.
fn scan(s: &str, from: usize, stops: &[u8]) -> (usize, Option<u8>) {
    let b = s.as_bytes();
    let (mut depth, mut quote, mut i) = (0usize, None::<u8>, from);
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(_) if c == b'\\' => i += 1,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'"' | b'\'' => quote = Some(c),
                b'(' | b'[' => depth += 1,
                b')' | b']' => depth = depth.saturating_sub(1),
                _ if depth == 0 && stops.contains(&c) => return (i, Some(c)),
                _ => {}
            },
        }
        i += 1;
    }
    (b.len(), None)
}

/// The end of a `{…}` block whose `{` is at `open`: the index of its `}`.
fn block_end(s: &str, open: usize) -> usize {
    let mut depth = 0usize;
    let mut i = open;
    loop {
        let (at, stop) = scan(s, i, b"{}");
        match stop {
            Some(b'{') => depth += 1,
            Some(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return at;
                }
            }
            None => return s.len(),
        }
        i = at + 1;
    }
}

/// Whether a `@media` prelude applies to a screen: `Some(true)` for `screen`/`all`, `Some(false)`
/// for `print`/`speech` only, `None` when it depends on the window (`(max-width: …)`).
fn media_applies(query: &str) -> Option<bool> {
    let q = query.to_ascii_lowercase();
    let parts: Vec<&str> = q.split(',').map(str::trim).collect();
    if parts
        .iter()
        .any(|p| matches!(*p, "" | "all" | "screen" | "only screen" | "only all"))
    {
        return Some(true);
    }
    if parts
        .iter()
        .all(|p| matches!(*p, "print" | "only print" | "speech" | "only speech"))
    {
        return Some(false);
    }
    None
}

/// At-rules (`@media`, `@supports`) nest at most this deep; deeper, the sheet is not read (a
/// page's 100,000 nested `@media` overflowed the stack after 17 s).
const MAX_AT_RULE_DEPTH: usize = 8;

/// At most this many rules that can change a cell's text are kept from a page's style sheets;
/// past them the page's tables are in doubt (500,000 rules took 1 s and 294 MB to parse).
const MAX_RULES: usize = 20_000;

/// The rules of a style sheet (`depth`: how many at-rules it is inside), into `out`.
fn parse_sheet(css: &str, conditional: bool, depth: usize, out: &mut Vec<Rule>) {
    if depth > MAX_AT_RULE_DEPTH || out.len() >= MAX_RULES {
        if out
            .last()
            .is_some_and(|r| r.selector.is_none() && r.text.starts_with('@'))
        {
            return;
        }
        // A rule of unknown reach that may hide: every table of the page is in doubt.
        out.push(Rule {
            walks: false,
            counts: false,
            text: format!("@… (nested {depth} deep, or over {MAX_RULES} rules)"),
            selector: None,
            pseudo: false,
            conditional: true,
            decls: vec![Decl {
                prop: "display".into(),
                value: "none".into(),
                important: false,
            }],
        });
        return;
    }
    let mut i = 0;
    while i < css.len() {
        if out.len() >= MAX_RULES {
            return parse_sheet("", conditional, depth, out);
        }
        let (at, stop) = scan(css, i, b"{;}");
        let prelude = css[i..at].trim();
        match stop {
            None => return,
            Some(b';' | b'}') => {
                i = at + 1;
                continue;
            }
            Some(_) => {}
        }
        let end = block_end(css, at);
        let body = css.get(at + 1..end).unwrap_or_default();
        i = end + 1;
        if let Some(at_rule) = prelude.strip_prefix('@') {
            let name: String = at_rule
                .chars()
                .take_while(|c| c.is_ascii_alphabetic() || *c == '-')
                .collect();
            let rest = &at_rule[name.len()..];
            match name.to_ascii_lowercase().as_str() {
                "media" => match media_applies(rest) {
                    Some(true) => parse_sheet(body, conditional, depth + 1, out),
                    Some(false) => {}
                    None => parse_sheet(body, true, depth + 1, out),
                },
                "supports" | "layer" | "container" | "scope" | "document" | "-moz-document" => {
                    parse_sheet(body, true, depth + 1, out);
                }
                _ => {}
            }
            continue;
        }
        let decls = parse_declarations(body);
        let mut from = 0;
        while from <= prelude.len() {
            let (comma, _) = scan(prelude, from, b",");
            let piece = prelude[from..comma].trim();
            from = comma + 1;
            if !piece.is_empty() {
                out.extend(rule_of(piece, conditional, &decls));
            }
        }
    }
}

/// One selector of a rule's list with the rule's declarations, or nothing when the selector
/// never applies to a page at rest (`:hover`) or to text (`::-webkit-scrollbar`).
fn rule_of(piece: &str, conditional: bool, decls: &[Decl]) -> Option<Rule> {
    let lower = piece.to_ascii_lowercase();
    const DYNAMIC: &[&str] = &[":hover", ":focus", ":active", ":target", ":visited"];
    if DYNAMIC.iter().any(|d| lower.contains(d)) && !lower.contains(":not(") {
        return None;
    }
    const NOT_TEXT: &[&str] = &[
        "::-webkit-",
        "::-moz-",
        "::-ms-",
        "::selection",
        "::placeholder",
        "::backdrop",
        "::file-selector-button",
    ];
    if NOT_TEXT.iter().any(|d| lower.contains(d)) {
        return None;
    }
    let mut sel = piece;
    let mut pseudo = false;
    for p in ["::before", "::after", ":before", ":after"] {
        if lower.ends_with(p) {
            sel = piece[..piece.len() - p.len()].trim_end();
            pseudo = true;
            break;
        }
    }
    let sel = if sel.is_empty() { "*" } else { sel };
    // `:has()` matches each element against its descendants: a page's `*:has(div div … q)`
    // took 3.3 s. Its reach is not worked out.
    let sel = if lower.contains(":has(") { "" } else { sel };
    let decls: Vec<Decl> = decls
        .iter()
        .filter(|d| d.effect(pseudo).is_some())
        .map(|d| Decl {
            prop: d.prop.clone(),
            value: d.value.clone(),
            important: d.important,
        })
        .collect();
    if decls.is_empty() {
        return None;
    }
    Some(Rule {
        text: piece.chars().take(80).collect(),
        walks: sel.trim().contains(char::is_whitespace) || sel.contains('~'),
        counts: [":nth-", "-of-type", ":last-child", ":only-child"]
            .iter()
            .any(|p| lower.contains(p)),
        selector: Selector::parse(sel).ok(),
        pseudo,
        conditional,
        decls,
    })
}

/// CSS escapes resolved (`disp\lay`, `\6e one`): a property written with them is the property.
fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let mut hex = String::new();
        while hex.len() < 6 && chars.peek().is_some_and(char::is_ascii_hexdigit) {
            hex.extend(chars.next());
        }
        if hex.is_empty() {
            out.extend(chars.next());
        } else {
            out.push(
                u32::from_str_radix(&hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{fffd}'),
            );
            if chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
        }
    }
    out
}

/// The declarations of a block or a `style` attribute (`display: NONE !important;`), property
/// names and values in lower case (but the text of a `content` string).
pub(crate) fn parse_declarations(block: &str) -> Vec<Decl> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < block.len() {
        let (end, _) = scan(block, i, b";");
        let part = &block[i..end];
        i = end + 1;
        let Some((prop, value)) = part.split_once(':') else {
            continue;
        };
        let prop = unescape(prop.trim()).to_ascii_lowercase();
        let mut value = unescape(value.trim());
        let lower = value.to_ascii_lowercase();
        let important = if let Some(bang) = lower.rfind('!')
            && lower[bang + 1..].trim() == "important"
        {
            value.truncate(bang);
            true
        } else {
            false
        };
        let value = if prop == "content" {
            value.trim().to_string()
        } else {
            value
                .trim()
                .to_ascii_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        out.push(Decl { prop, value, important });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    #[test]
    fn declarations_are_read_as_css_reads_them() {
        let d = parse_declarations("DISPLAY : None !IMPORTANT; content: \"a;b\" ; font:bold 0/0 a;x");
        assert_eq!(d.len(), 3);
        assert_eq!(
            (d[0].prop.as_str(), d[0].value.as_str(), d[0].important),
            ("display", "none", true)
        );
        assert_eq!(d[1].value, "\"a;b\"");
        assert!(matches!(d[2].effect(false), Some(Effect::FontSize(Size::Zero))));
        assert!(
            size_of("0px") == Size::Zero && size_of("12pt") == Size::Absolute && size_of("1.2em") == Size::Relative
        );
        let d = parse_declarations(&strip_comments("disp\\lay:/**/\\6e one"));
        assert_eq!((d[0].prop.as_str(), d[0].value.as_str()), ("display", "none"));
        assert_eq!(media_applies("screen, print"), Some(true));
        assert_eq!(media_applies("print"), Some(false));
        assert_eq!(media_applies("screen and (max-width: 600px)"), None);
    }

    #[test]
    fn a_hostile_style_sheet_puts_the_tables_in_doubt_at_once() {
        let nested = format!(
            "{}td{{display:none}}{}",
            "@media screen{".repeat(100_000),
            "}".repeat(100_000)
        );
        let many: String = (0..30_000).map(|i| format!(".a{i}{{display:none}}")).collect();
        let has = "*:has(div div div q){display:none}".to_string();
        // Rules that walk up a deep page: 50 × 1,100 elements × 990 ancestors.
        let walking: String = (0..50).map(|i| format!("span.a{i} i{{display:none}}")).collect();
        let deep = format!(
            "{}{}{}",
            "<div>".repeat(990),
            "<i></i>".repeat(1_100),
            "</div>".repeat(990)
        );
        // A rule that counts siblings, over 8,000 siblings: 8,000 × 8,000 steps.
        let counting = "i:nth-last-child(2){display:none}".to_string();
        let wide = format!("<div>{}</div>", "<i></i>".repeat(8_000));
        for (css, body) in [
            (nested, ""),
            (many, ""),
            (has, ""),
            (walking, deep.as_str()),
            (counting, wide.as_str()),
        ] {
            let started = std::time::Instant::now();
            let html = Html::parse_document(&format!("<style>{css}</style><table><tr><td>1</td></tr></table>{body}"));
            let shown = Shown::of(html.root_element());
            let table = html
                .root_element()
                .descendent_elements()
                .find(|e| e.value().name() == "table")
                .expect("table");
            assert!(shown.doubt(table.id()).is_some_and(|d| d.layout));
            assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
        }
    }

    #[test]
    fn rules_reach_what_their_selectors_select_and_no_more() {
        let html = Html::parse_document(
            "<style>/* x */ .h{display:none} @media print{p{display:none}} td:hover{display:none} \
             .v{visibility:hidden} .v b{visibility:visible} .z{font-size:0} .z i{font-size:1em} .z u{font-size:9px} \
             .q::after{content:'1'}</style>\
             <p class=h>a</p><p>b</p><div class=v><i>c</i><b>d</b></div><div class=z><i>e</i><u>f</u></div><s class=q>g</s>",
        );
        let shown = Shown::of(html.root_element());
        let state = |tag: &str, text: &str| {
            let e = html
                .root_element()
                .descendent_elements()
                .find(|e| e.value().name() == tag && e.text().collect::<String>() == text)
                .expect("element");
            (shown.state(e.id()), shown.doubt(e.id()).map(|d| d.layout))
        };
        assert!(state("p", "a").0.removed && !state("p", "b").0.removed);
        assert!(state("i", "c").0.invisible && !state("b", "d").0.invisible);
        assert!(state("i", "e").0.invisible && !state("u", "f").0.invisible);
        let (s, doubt) = state("s", "g");
        assert!(s.look.struck && doubt == Some(false));
    }
}
