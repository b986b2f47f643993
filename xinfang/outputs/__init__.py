"""Files xinfang writes for people: workbooks, CSV, documents."""
