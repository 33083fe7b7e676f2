"""The classifiers as data: the shipped file, loud errors naming the entry, override files,
matching of what clerks type."""

from __future__ import annotations

import pytest

from tpcheck import ClassifiersError, load_classifiers
from tpcheck.classifiers import LIST_KEYS, default_classifiers

C = default_classifiers()


def test_shipped_lists_follow_the_regulation():
    assert C["direction"].codes == ["1", "2", "3", "4", "5", "6", "7"]
    restored = [e for e in C["direction"] if e.get("restored")]
    assert [(e.code, e.label) for e in restored] == [("4", "рассмотрение обращений и запросов")]
    assert C["need"].codes == [str(i) for i in range(1, 11)]
    assert [e.code for e in C["need"] if e.get("other")] == ["10"]
    assert C["channel"].labels == ["цифровая", "оффлайн"]
    assert C["basis_kind"].codes == ["1", "2", "3", "4"]
    assert [e.code for e in C["basis_kind"] if not e.get("needs_requisites")] == ["4"]
    assert C["update_ground"].codes == ["1", "2", "3"]
    assert set(C.lists) == set(LIST_KEYS)


def test_touchpoint_types_carry_their_channel_and_requirement_groups():
    table = {e.code: (e.get("channel"), e.get("requirements")) for e in C["touchpoint_type"]}
    assert table["site"] == ("digital", ("4.2.1",))
    assert table["reception"] == ("offline", ("4.2.7",))
    assert table["voice"] == ("any", ("4.2.4", "4.2.5"))
    assert table["phone"] == ("any", ("4.2.5",))
    assert table["portal"] == ("digital", ())


def test_requirements_of_4_2_with_their_limits():
    numeric = {
        e.code: (e.get("limit"), e.get("unit"), e.clause)
        for e in C["requirement"]
        if e.get("kind") == "number"
    }
    assert numeric == {
        "4.2.3в.mention": (4, "ч", "п. 4.2.3 в)"),
        "4.2.3в.appeal": (2, "ч", "п. 4.2.3 в)"),
        "4.2.5а": (2, "переключений", "п. 4.2.5 а)"),
        "4.2.7ж": (15, "мин", "п. 4.2.7 ж)"),
    }
    letters_424 = [e.code[-1] for e in C["requirement"] if e.get("group") == "4.2.4"]
    assert letters_424 == list("абгдежзи")  # «в» is skipped in the printed text; kept as printed


@pytest.mark.parametrize(
    ("name", "typed", "label"),
    [
        ("need", "1", "получение информации"),
        ("need", "1)", "получение информации"),
        ("need", "п. 2", "получение консультации"),
        ("need", "пп.2", "получение консультации"),
        ("need", "№ 3", "получение форм документов"),
        ("need", "Получение  консультации.", "получение консультации"),
        ("need", "пoлучение консультации", "получение консультации"),  # Latin o
        (
            "need",
            "6) получение результата, ответа, разъяснения",
            "получение результата, ответа, разъяснения",
        ),
        ("direction", "4", "рассмотрение обращений и запросов"),
        ("direction", "Обращения граждан", "рассмотрение обращений и запросов"),
        ("channel", "онлайн", "цифровая"),
        ("channel", "ОФЛАЙН", "оффлайн"),
        ("channel", "digital", "цифровая"),
        ("touchpoint_type", "Личный приём", "личный прием в Департаменте, учреждении"),
        ("touchpoint_type", "site", "официальный сайт (портал) Департамента, учреждения"),
        ("client", "Внешний клиент", "внешний"),
        ("yes_no", "Да", "да"),
    ],
)
def test_match(name, typed, label):
    entry = C[name].match(typed)
    assert entry is not None and entry.label == label


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("need", "11"),
        ("need", "2) получение информации"),
        ("channel", "гибридная"),
        ("direction", ""),
        ("need", "получение"),
    ],
)
def test_no_match(name, typed):
    assert C[name].match(typed) is None


@pytest.mark.parametrize(
    ("typed", "pieces"),
    [
        ("1; 2; 6", [("1", "1"), ("2", "2"), ("6", "6")]),
        ("1, 2, 6", [("1", "1"), ("2", "2"), ("6", "6")]),
        (
            "получение информации\nполучение консультации",
            [("получение информации", "1"), ("получение консультации", "2")],
        ),
        (
            "представление заявления, обращения, запроса, документов",
            [("представление заявления, обращения, запроса, документов", "4")],
        ),
        (
            "получение информации, представление заявления, обращения, запроса, документов, 6",
            [
                ("получение информации", "1"),
                ("представление заявления, обращения, запроса, документов", "4"),
                ("6", "6"),
            ],
        ),
        (
            "получение результата, ответа, разъяснения",
            [("получение результата, ответа, разъяснения", "6")],
        ),
        (
            "консультация, что-то свое, еще, 8",
            [("консультация", "2"), ("что-то свое, еще", None), ("8", "8")],
        ),
        (";;", []),
    ],
)
def test_split_multi_value_cells(typed, pieces):
    got = [(piece, entry.code if entry else None) for piece, entry in C["need"].split(typed)]
    assert got == pieces


def test_suggest_closest_labels():
    assert C["need"].suggest("получение консультаций")[0] == "получение консультации"
    assert C["need"].suggest("получение инфрмации")[0] == "получение информации"
    assert C["channel"].suggest("цыфровая") == ["цифровая"]
    assert C["channel"].suggest("") == []


def test_similar_ranks_by_the_letters_to_insert_and_delete():
    from tpcheck.text import similar

    # one letter replaced: one deleted and one inserted, out of 44 letters in all
    assert similar("получение консультацыи", ["получение консультации"]) == [
        ("получение консультации", 1 - 2 / 44)
    ]
    choices = ["abce", "abcd", "xbcd", "zzzz"]
    assert similar("abcd", choices) == [("abcd", 1.0), ("abce", 0.75), ("xbcd", 0.75)]
    assert similar("abcd", choices, limit=2) == [("abcd", 1.0), ("abce", 0.75)]
    assert similar("abcd", choices, cutoff=0.8) == [("abcd", 1.0)]
    assert similar("abcd", {"abce": "a name", "q": "abcd"}) == [("abce", 0.75)]  # keys, not values
    assert similar("abcd", []) == []


def test_suggest_ranks_labels_by_their_closest_spelling_within_the_margin():
    need = C["need"]
    # «консультаций» is a synonym of «получение консультации»: one label, not two
    assert need.suggest("получение консультацыи", margin=0.05) == ["получение консультации"]
    wide = need.suggest("получение консультацыи")
    assert wide[0] == "получение консультации" and len(wide) == len(set(wide)) <= 3
    assert need.suggest("получение консультацыи", limit=1) == ["получение консультации"]
    # nothing similar enough: the labels of a spelling the text holds (4 letters on)
    long = "ВКонтакте: официальная группа Департамента по делам гражданской обороны"
    assert C["touchpoint_type"].suggest(long) == ["социальная сеть, публичный чат в мессенджере"]
    assert need.suggest("абвгдежзик") == []


def _override(tmp_path, text):
    path = tmp_path / "override.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[need]]\ncode = "12"\nlable = "x"\nclause = "y"\n',
            "[[need]] № 11 (code = '12'): неизвестный ключ «lable»",
        ),
        (
            'replace = ["channel"]\n[[channel]]\ncode = "a"\nlabel = "x"\nclause = "c"\n'
            '[[channel]]\ncode = "a"\nlabel = "y"\nclause = "c"\n',
            "[[channel]] № 2 (code = 'a'): код 'a' повторяется "
            "(уже у [[channel]] № 1 (code = 'a'))",
        ),
        (
            '[[client]]\ncode = "partner"\nclause = "п. 2.2"\n',
            "[[client]] № 4 (code = 'partner'): нет ключа «label» или он пуст",
        ),
        (
            '[[client]]\ncode = "partner"\nlabel = "Внешний"\nclause = "п. 2.2"\n',
            "[[client]] № 4 (code = 'partner'): «Внешний» совпадает с названием или синонимом "
            "[[client]] № 1 (code = 'external')",
        ),
        (
            '[[touchpoint_type]]\ncode = "kiosk"\nlabel = "киоск"\nclause = "п. 2.5"\n'
            'channel = "digital"\nrequirements = ["4.2.9"]\n',
            "[[touchpoint_type]] № 14 (code = 'kiosk'): requirements называет подпункт '4.2.9'",
        ),
        (
            '[[touchpoint_type]]\ncode = "kiosk"\nlabel = "киоск"\nclause = "п. 2.5"\n'
            'channel = "hybrid"\n',
            "[[touchpoint_type]] № 14 (code = 'kiosk'): channel = 'hybrid'",
        ),
        (
            '[[requirement]]\ncode = "4.2.7з"\ngroup = "4.2.7"\nlabel = "з"\nclause = "п"\n'
            'kind = "number"\n',
            "(code = '4.2.7з'): для kind = \"number\" нужны limit и unit",
        ),
        ('[[need]]\ncode = "99"\nremove = true\n', "удаляется код '99', которого нет"),
        ('[[column]]\nkey = "phone"\nheader = "Телефон"\n', "столбца с key = 'phone' нет"),
        ('[[column]]\nkey = "needs"\nhint = "' + "x" * 300 + '"\n', "hint длиннее 255 символов"),
        ("[colours]\nred = 1\n", "неизвестный раздел «colours»"),
        (
            '[[need]]\ncode = "11"\nlabel = "x"\nclause = "y"\nsynonyms = "z"\n',
            "ключ «synonyms» должен быть типа list",
        ),
        ("this is = not toml", "не читается как TOML"),
    ],
)
def test_broken_override_fails_naming_the_entry(tmp_path, text, message):
    with pytest.raises(ClassifiersError) as caught:
        load_classifiers(_override(tmp_path, text))
    assert message in str(caught.value)


def test_missing_override_file(tmp_path):
    with pytest.raises(ClassifiersError, match="не найден"):
        load_classifiers(tmp_path / "nope.toml")


def test_override_adds_changes_removes_and_replaces(tmp_path):
    loaded = load_classifiers(
        _override(
            tmp_path,
            """
replace = ["operator"]

[meta]
organization = "Министерство образования Кузбасса"

[[need]]
code = "2"
synonyms = ["консультирование по телефону"]

[[need]]
code = "7"
remove = true

[[touchpoint_type]]
code = "kiosk"
label = "информационный киоск"
clause = "п. 2.5"
channel = "digital"
requirements = []

[[operator]]
code = "ministry"
label = "Министерство"
clause = "п. 1.1"

[[column]]
key = "subdivision"
header = "Ответственный отдел"
""",
        )
    )
    assert loaded.meta["organization"] == "Министерство образования Кузбасса"
    assert loaded["need"].match("консультирование по телефону").code == "2"
    assert loaded["need"].match("консультация") is None  # synonyms replaced, not appended
    assert "7" not in loaded["need"].codes
    assert loaded["touchpoint_type"].codes[-1] == "kiosk"
    assert loaded["operator"].labels == ["Министерство"]
    assert loaded.column("subdivision").header == "Ответственный отдел"
    assert loaded.digest != default_classifiers().digest
    assert default_classifiers()["need"].codes[6] == "7"  # the built-in ones are untouched


def test_digest_is_stable_and_to_dict_is_plain_data():
    again = load_classifiers(None)
    assert again.digest == C.digest
    data = C.to_dict()
    assert data["lists"]["direction"]["entries"][3]["restored"] is True
    assert [c["key"] for c in data["columns"]][:3] == ["number", "direction", "activity"]
