"""好差评: the resident's rating of a service (现场服务一次一评) and of a case later by phone,
and the rectification (差评整改) every 差评 opens. Qt-free.

- :mod:`levels`: the five levels, the two code lists (GB/T 39046 A.8 and the national evaluation
  interface, which count in opposite directions), the 差评 reasons, the services rated, channels;
- :mod:`wire`: the operations that carry evaluations and rectification steps to the county, and
  the copies the centre's workstations take down;
- :mod:`rating` (the window rating), :mod:`tasks` (the supervisor's 差评整改), :mod:`figures`
  (满意度), gathered for the desks in :mod:`service`; the feed's pull: ``app/sync/evaluations.py``.
"""
