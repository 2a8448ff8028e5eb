# Django ships no date formats for Lao; these follow the day/month/year order and the
# 24-hour clock used in Laos.
DATE_FORMAT = "j/n/Y"
SHORT_DATE_FORMAT = "j/n/Y"
DATETIME_FORMAT = "j/n/Y H:i"
SHORT_DATETIME_FORMAT = "j/n/Y H:i"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1
