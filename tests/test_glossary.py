"""The bundled English-Chinese glossary: Chinese questions find entries written in English only, staff synonyms
keep the last word, and the file itself stays well formed."""

from __future__ import annotations

from bot.understanding import glossary, text
from bot.understanding.faq_index import Doc, FaqIndex

ENGLISH_ONLY = [
    Doc("send-colleague", ["Can I send a colleague in my place?"],
        ["Yes. Write to events@example.org with your colleague's name before the event."]),
    Doc("job-board", ["Can members post job vacancies?"], ["Members post vacancies on the job board for free."]),
    Doc("office-hours", ["When is the office open?"], ["Monday to Friday, 9:00-17:30."]),
    Doc("data-privacy", ["How do you handle my personal data?"], ["We never sell or share it."]),
]


def test_the_file_parses_with_english_first_and_no_term_twice() -> None:
    groups = glossary.groups()
    assert len(groups) > 300
    seen: set[str] = set()
    for group in groups:
        assert group and not text.has_cjk(group[0]), group  # the English term a Chinese word is read as
        assert any(text.has_cjk(term) for term in group), group
        for term in group:
            key = term.casefold()
            assert key not in seen, term
            seen.add(key)


def test_a_chinese_question_finds_an_entry_written_in_english_only() -> None:
    bare = FaqIndex(ENGLISH_ONLY)
    bridged = FaqIndex(ENGLISH_ONLY, (), glossary.groups())
    assert bare.search("报名了去不了，能换同事去吗", limit=1) == []
    found = bridged.search("报名了去不了，能换同事去吗", limit=1)
    assert found and found[0].id == "send-colleague"
    assert bridged.search("会员可以在你们网站上发招聘信息吗", limit=1)[0].id == "job-board"


def test_english_questions_read_as_before() -> None:
    bare = FaqIndex(ENGLISH_ONLY)
    bridged = FaqIndex(ENGLISH_ONLY, (), glossary.groups())
    for q in ("can a colleague go instead of me", "do you have a job board", "what are your office hours"):
        assert bridged.tokens(q) == bare.tokens(q)
        assert [m.id for m in bridged.search(q)] == [m.id for m in bare.search(q)]


def test_staff_synonyms_keep_their_chinese_words() -> None:
    """A Chinese word staff grouped themselves is theirs; a glossary group whose English words fall in a staff group
    that has Chinese words is left out, so "协会" in another association's name does not become their own."""
    staff = [["GASME", "association", "贵协会"], ["colleague", "同事", "同仁"]]
    table = glossary.translations(staff, [["association", "协会"], ["colleague", "同事"], ["invoice", "发票"]])
    assert table.translate(["协会"]) == ["协会"]
    assert table.translate(["同事"]) == ["同事"]
    assert table.translate(["发票"]) == ["invoic"]
    index = FaqIndex(ENGLISH_ONLY, staff, glossary.groups())
    assert "协会" in index.tokens("中美交流协会")


def test_a_phrase_is_read_as_a_whole_and_as_its_english_head() -> None:
    table = glossary.translations([], [["working group", "工作组", "工作小组"], ["work", "工作"]])
    assert table.translate(text.content_tokens("工作小组")) == text.content_tokens("working group")
    assert table.translate(["工作"]) == ["work"]


def test_a_term_that_loses_words_to_the_stop_list_is_left_out() -> None:
    """"怎么去" is "去" alone to the matcher: it would read every "去" ("去不了", "去欧洲") as transport."""
    table = glossary.translations([], [["transport", "怎么去", "交通"]])
    assert table.translate(text.content_tokens("报名了去不了")) == text.content_tokens("报名了去不了")
    assert table.translate(["交通"]) == ["transport"]


def test_a_compound_the_glossary_knows_is_read_whole_not_by_its_parts() -> None:
    """jieba keeps "个人信息" whole; the words of a compound the knowledge lacks are read by their parts ("个人",
    "信息"), but the glossary knows this one as "personal data", which the entry written in English has."""
    bridged = FaqIndex(ENGLISH_ONLY, (), glossary.groups())
    assert text.content_tokens("个人信息") == ["个人信息"]
    found = bridged.search("我的个人信息你们会不会随便给采购商或者合作方", limit=1)
    assert found and found[0].id == "data-privacy"


def test_members_and_staff_words_for_one_fee_meet() -> None:
    """Staff wrote "会员费", members write "会费"; both are the membership fee, not how to pay it."""
    docs = [Doc("membership-fee", ["会员费是多少？"], ["每年480新元。"]),
            Doc("payment-methods", ["会费可以用哪些方式付款？"], ["银行转账或刷卡。"]),
            Doc("cancel", ["How do I cancel my membership?"], ["Write to us 30 days before renewal."])]
    bridged = FaqIndex(docs, (), glossary.groups())
    assert bridged.search("会费是多少", limit=1)[0].id == "membership-fee"
    assert bridged.search("不想续了，咋退会", limit=1)[0].id == "cancel"  # "退会" in the words staff wrote
