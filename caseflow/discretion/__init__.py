"""裁量基准 (《行政处罚法》第三十四条; 医保发〔2021〕35号): the provinces' benchmarks as data
(workflows/discretion/<province>.yaml), which tier a case's circumstances lead to, the range recommended
inside the lawful one, and the lint that says what is missing or unverified."""
