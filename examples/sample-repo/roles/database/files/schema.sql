CREATE TABLE items (id integer primary key, name text);
