"""Parties (当事人): organisations with 统一社会信用代码 and individuals with 身份证号."""
