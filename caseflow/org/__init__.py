"""Organisation: agencies (行政机关), their sections (股/科), users, the posts (岗位) they hold, 执法证."""
