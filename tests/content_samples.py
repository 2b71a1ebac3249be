"""Small, valid content files for tests of the loader and the content service."""

GOOD_CURRICULUM = """
[curriculum]
id = "mini"
name = "Mini plan"
description = "Two days to test the loader."

[[modules]]
id = "basics"
title = "Basics"

[[days]]
id = "basics-01"
module = "basics"
title = "Lists"
prompt = "Learn how lists grow. Build one by hand and time appends."
reflection = "Why are appends cheap on average?"
resources = [{ name = "Python tutorial", url = "https://docs.python.org/3/tutorial/" }]

[[days]]
id = "basics-02"
module = "basics"
title = "Dicts"
prompt = "Learn how hashing works! Implement a tiny hash map. Compare it with dict?"
reflection = "What makes a good hash?"
resources = [{ name = "Python docs", url = "https://docs.python.org/3/" }]
"""

GOOD_PROBLEMS = """
[[problems]]
id = "two-sum"
title = "Two Sum"
slug = "two-sum"
difficulty = "Easy"
topics = ["arrays-hashing"]
url = "https://leetcode.com/problems/two-sum/"
hint = "Remember what you have seen."

[[problems]]
id = "group-anagrams"
title = "Group Anagrams"
slug = "group-anagrams"
difficulty = "Medium"
topics = ["arrays-hashing"]
url = "https://leetcode.com/problems/group-anagrams/"
hint = "Words that are anagrams share a key."

[[problems]]
id = "trapping-rain-water"
title = "Trapping Rain Water"
slug = "trapping-rain-water"
difficulty = "Hard"
topics = ["two-pointers", "stack"]
url = "https://leetcode.com/problems/trapping-rain-water/"
hint = "Water above a bar depends on the tallest bars on both sides."
"""

GOOD_ML = """
[[problems]]
id = "stable-softmax"
title = "Stable softmax"
difficulty = "Easy"
topics = ["numerics"]
statement = "Compute softmax without overflow."
input = "xs: list of floats"
output = "list of floats summing to 1"
example = "softmax([0, 0]) == [0.5, 0.5]"
hints = ["Subtract the maximum first."]
"""
