CREATE TABLE inc.t (id int, label text);
