"""The demo: an agency modelled on 栾川县医疗保障局 with a user on every post and cases walked through."""
