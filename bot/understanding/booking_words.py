"""Wordings of "book me in" said of the event in view (bot/understanding/followup.py): the whole message is the
request to book it."""

from __future__ import annotations

import re

# "Book me in" said of the event in view, in its many wordings: a request to book, to be counted or put down, or a
# wish to go, then at most some politeness. The whole message is the request: "I'd like to go to Sydney" is not.
_BOOK_EN = (r"book (me|us)( in)?|book it|book (a |my |me a |us a )?(seat|place|spot|ticket)s?|"
            r"(reserve|save|get|grab|hold) (me |us )?(a |my |our )?(seat|place|spot|ticket)s?|reserve (it|one)|"
            r"sign (me|us) up|sign (me|us) in|register (me|us)|enrou?ll? (me|us)|count (me|us) in|"
            r"put (me|us|my name|our names) (down|in)|add (me|us)( to the list)?|i'?m in|i am in|we'?re in|"
            r"i'?ll take it|i'?ll (go|come|attend|be there|join)|we'?ll (go|come|attend|be there|join)|let'?s do it|"
            r"let'?s go|(i|we)( want| wanna| would like|'?d like) to (go|come|attend|register|join|sign up|book)|"
            r"(i|we)( want| would like|'?d like) (a |one |my )?(seat|place|spot|ticket)|"
            r"register( for)? (it|this|that)( one)?|sign (me |us )?up for (it|this|that)( one)?|"
            r"(i|we)( want| wanna| would like|'?d like) to go to (that|this|it)|i'?ll go to (that|this|it)")
_BOOK_ZH = (r"我要报名|帮我报名|我报名|报名吧|报名|我要参加|我参加|我想参加|我们参加|我去|我要去|我想去|我也去|我们去|"
            r"就这个|就报这个|就报名这个|报这个|就报它|报它|就它|就这场|报名这个|帮我报上?|给我报上?|报上|报一个|报个名|给我报个名|"
            r"算我一个|算上我|算我|加上我|我来参加|我也参加|预约|帮我预约|我要预约|我想预约|帮我登记|登记一下|"
            r"给我留个(位置?|名额|座位?)|留个(位置?|名额|座位?)|占个(位置?|座位?)|订个位|订一个|我报|我也报")
BOOK = re.compile(
    r"(^|[\s,，.!。]|(?<=[\u4e00-\u9fff]))"
    rf"({_BOOK_EN}|{_BOOK_ZH})(吧|了|啦|呗|哈)?"
    r"(\s*(please|pls|plz|then|one|for me|for us|for it|for that( one)?|for this( one)?|thanks|thank you|thx|too|"
    r"as well|now|anyway|after all|这个|这场|那个|那场|一下|一个|吧|呗|谢谢|哈))*[\s!.！。~]*$"
)
