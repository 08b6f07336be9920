"""Small lesson files for tests: a head naming the project, then steps."""


def head(project="example:xor", title="T"):
    return f'format = "nnviz-lesson"\nversion = 1\ntitle = "{title}"\nproject = "{project}"\n'


def step(extra="", text="Some text."):
    return f'[[steps]]\ntitle = "S"\ntext = """{text}"""\n{extra}\n'


def write(tmp_path, body, head_text=None, name="my.nnlesson"):
    path = tmp_path / name
    path.write_text((head() if head_text is None else head_text) + body, encoding="utf-8")
    return path
