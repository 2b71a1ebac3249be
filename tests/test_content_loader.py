import pytest

from bot.content import describe_file, load_bank
from bot.content.loader import ContentError, load_curriculum, load_ml_problems, load_problems
from tests.content_samples import GOOD_CURRICULUM, GOOD_ML, GOOD_PROBLEMS


def test_a_good_curriculum_loads_in_order() -> None:
    curriculum = load_curriculum(GOOD_CURRICULUM, "mini.toml")
    assert curriculum.name == "Mini plan"
    assert [d.id for d in curriculum.days] == ["basics-01", "basics-02"]
    assert curriculum.days[0].module.title == "Basics"
    assert curriculum.days[1].resources[0].url == "https://docs.python.org/3/"


def test_every_problem_is_reported_at_once_with_file_entry_and_field() -> None:
    broken = (
        GOOD_CURRICULUM.replace('title = "Lists"', 'titel = "Lists"')
        .replace('module = "basics"\ntitle = "Dicts"', 'module = "nope"\ntitle = "Dicts"')
        .replace("https://docs.python.org/3/tutorial/", "http://insecure.example")
        .replace("Learn how lists grow. Build one by hand and time appends.", "Too short.")
    )
    with pytest.raises(ContentError) as caught:
        load_curriculum(broken, "mine.toml")
    messages = [str(p) for p in caught.value.problems]
    assert "mine.toml: days[0] (basics-01): titel: unknown field" in "\n".join(messages)
    assert "mine.toml: days[0] (basics-01): title: is missing" in messages
    assert "mine.toml: days[0] (basics-01): prompt: has 1 sentences; write 2 to 5" in messages
    assert (
        "mine.toml: days[0] (basics-01): resources[0].url: 'http://insecure.example' must be "
        "an https:// link" in messages
    )
    assert (
        "mine.toml: days[1] (basics-02): module: 'nope' is not one of the [[modules]] ids"
        in messages
    )
    assert len(messages) == 5


def test_duplicate_ids_and_invalid_toml_are_reported() -> None:
    duplicated = GOOD_CURRICULUM.replace('id = "basics-02"', 'id = "basics-01"')
    with pytest.raises(ContentError, match="day id 'basics-01' is used more than once"):
        load_curriculum(duplicated, "dup.toml")
    with pytest.raises(ContentError, match=r"file: -: is not valid TOML: .*line 1"):
        load_curriculum("[[days]\n", "bad.toml")
    with pytest.raises(ContentError, match="needs at least one"):
        load_curriculum('[curriculum]\nid = "x"\nname = "x"\ndescription = "x"\n', "empty.toml")


def test_problem_fields_are_checked() -> None:
    broken = (
        GOOD_PROBLEMS.replace('"Easy"', '"Trivial"')
        .replace('["arrays-hashing"]', '["arrays"]')
        .replace('id = "two-sum"', 'id = "Two Sum"')
    )
    with pytest.raises(ContentError) as caught:
        load_problems(broken, "p.toml")
    text = str(caught.value)
    assert "difficulty: 'Trivial' is not one of Easy, Medium, Hard" in text
    assert "topics: 'arrays' is not a known topic" in text
    assert "id: 'Two Sum' must be lowercase words joined by '-'" in text


def test_ml_problems_need_hints_and_a_statement() -> None:
    assert load_ml_problems(GOOD_ML, "ml.toml")[0].hints == ("Subtract the maximum first.",)
    broken = GOOD_ML.replace('hints = ["Subtract the maximum first."]', "hints = []")
    broken = broken.replace('statement = "Compute softmax without overflow."\n', "")
    with pytest.raises(ContentError) as caught:
        load_ml_problems(broken, "ml.toml")
    text = str(caught.value)
    assert "statement: is missing" in text
    assert "hints: must be a list of 1 to 3 hints" in text


def test_problem_ids_are_unique_across_both_banks() -> None:
    clash = GOOD_ML.replace('id = "stable-softmax"', 'id = "two-sum"')
    with pytest.raises(ContentError, match=r"also used in p\.toml"):
        load_bank(GOOD_PROBLEMS, "p.toml", clash, "ml.toml")


def test_describe_file_recognises_each_kind() -> None:
    assert describe_file(GOOD_CURRICULUM, "c.toml") == "curriculum: 2 days in 1 modules"
    assert describe_file(GOOD_PROBLEMS, "p.toml") == "problems: 3 (1 easy, 1 medium, 1 hard)"
    assert describe_file(GOOD_ML, "m.toml") == "ml problems: 1"
